import { type DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './auth.module-definition';
import { asyncOptionKeyProblems } from './auth.option-keys';
import { AUTH_OPTIONS } from './core/options/auth.options';
import { AuthService } from './core/auth.service';
import { CLOCK } from './core/clock/clock';
import { AuthEvents } from './core/events/auth-events';
import { AuthRedisHealth } from './adapters/redis/auth-redis-health';
import { AccessTokenGuard } from './http/guards/access-token.guard';
import { RolesGuard } from './http/guards/roles.guard';
import { PasswordService } from './core/passwords/password.service';
import { authProviders } from './auth.providers';
import { REVOCATION_LIST } from './core/model/revocation-list.port';
import { SessionPruner } from './core/sessions/session-pruner';
import { SESSION_STORE } from './core/model/session-store.port';
import { TokenService } from './core/tokens/token.service';
import { AccessTokenAuthenticator } from './core/sessions/access-token.authenticator';
import { USER_STORE } from './core/model/user-store.port';

/**
 * JWT access tokens, rotating refresh tokens and server-side sessions.
 * `AuthModule.forRoot(options)` or `AuthModule.forRootAsync({ imports, inject, useFactory })`, plus the extras of
 * {@link AuthModuleExtras} (route prefix, routes, global guard, stores). See docs/host-guide.md.
 */
@Module({
  // No key here: TokenService passes its KeyObjects (parsed once at boot) with each call, one per token kind.
  imports: [PassportModule, JwtModule.register({})],
  providers: [...authProviders],
  exports: [
    AuthService,
    AuthEvents,
    TokenService,
    // The one authenticator of access tokens: RealtimeAuth (nest-session-auth/realtime) uses it too.
    AccessTokenAuthenticator,
    PasswordService,
    AccessTokenGuard,
    RolesGuard,
    AUTH_OPTIONS,
    CLOCK,
    USER_STORE,
    SESSION_STORE,
    REVOCATION_LIST,
    SessionPruner,
    AuthRedisHealth,
  ],
})
export class AuthModule extends ConfigurableModuleClass {
  /**
   * The module, with its options and extras in one object. Unless the `typeorm` extra says otherwise, only the
   * stores the options leave out are the built-in TypeORM ones (a `userStore` given: no users table registered).
   * @throws Error at boot, in one line naming each, when an option is invalid or unknown.
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const typeorm = options.typeorm ?? {
      users: options.userStore === undefined,
      sessions: options.sessionStore === undefined,
    };
    return super.forRoot({ ...options, typeorm });
  }

  /**
   * The module, with options from `useFactory` (or `useClass` / `useExisting`) and the extras given beside it.
   * @throws Error at once when a key beside `useFactory` is unknown or is an option (it belongs in what `useFactory`
   * returns): Nest would otherwise ignore it silently.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    const problems = asyncOptionKeyProblems(options);
    if (problems.length > 0) throw new Error(`Invalid AuthModule options: ${problems.join('; ')}`);
    return super.forRootAsync(options);
  }
}
