import type { INestApplicationContext, Type } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { AUTH_GLOBAL_GUARD } from './guards/global-guard.token';
import { IS_PUBLIC_KEY } from './decorators/public.decorator';
import { AccessTokenGuard } from './guards/access-token.guard';
import { hasOpenApiSecurity, setOpenApiBearer } from './openapi';

/**
 * Marks, for OpenAPI, every route of the app that needs an access token and says nothing of it: with the global
 * guard, each route not `@Public()`; without, each route under `@UseGuards(AccessTokenGuard)`. A route or controller
 * that states a security requirement of its own (`@ApiBearerAuth()`, `@ApiSecurity`) is left as it is, so nothing is
 * listed twice. Call it once, after `app.init()` or `NestFactory.create`, before `SwaggerModule.createDocument`.
 * Nothing without @nestjs/swagger.
 * @param scheme the bearer scheme's name, as given to `DocumentBuilder.addBearerAuth` (default `bearer`)
 * @example `markGuardedRoutes(app); const document = SwaggerModule.createDocument(app, config);`
 */
export function markGuardedRoutes(app: INestApplicationContext, scheme = 'bearer'): void {
  const globalGuard = app.get<boolean>(AUTH_GLOBAL_GUARD, { strict: false });
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || hasOpenApiSecurity(controller)) continue;
      const prototype = controller.prototype as Record<string, object>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        if (hasOpenApiSecurity(handler) || isPublic(controller, handler)) continue;
        if (globalGuard || guardedHere(controller, handler)) setOpenApiBearer(handler, scheme);
      }
    }
  }
}

function isPublic(controller: Type, handler: object): boolean {
  return (
    Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true ||
    Reflect.getMetadata(IS_PUBLIC_KEY, controller) === true
  );
}

/** `@UseGuards(AccessTokenGuard)` (or a subclass of it) on the handler or its controller. */
function guardedHere(controller: Type, handler: object): boolean {
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
  ];
  return guards.some(
    (guard) =>
      guard === AccessTokenGuard ||
      (typeof guard === 'function' && guard.prototype instanceof AccessTokenGuard),
  );
}
