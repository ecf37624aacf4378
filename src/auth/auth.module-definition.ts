import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import type { AuthModuleOptions } from './core/options/auth.options';
import { type AuthModuleExtras, applyExtras } from './auth.module-extras';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_AUTH_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<AuthModuleExtras>(
    {
      isGlobal: false,
      routePrefix: 'auth',
      routes: {},
      globalGuard: true,
      typeorm: true,
      // Listed, so that Nest takes it out of the options: left undefined, the module registers defaultFeatures().
      features: undefined,
      openApiTag: 'auth',
      hooks: undefined,
      registrationProfile: undefined,
    },
    (definition: DynamicModule, extras: AuthModuleExtras) => applyExtras(definition, extras),
  )
  .build();
