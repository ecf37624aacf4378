import type { Provider } from '@nestjs/common';
import { RAW_AUTH_OPTIONS } from './auth.module-definition';
import { optionKeyProblems } from './auth.option-keys';
import { BUILT_IN_STORES, type BuiltInStores } from './auth.module-extras';
import {
  AUTH_OPTIONS,
  type AuthModuleOptions,
  type ResolvedAuthOptions,
} from './core/options/auth.options';
import { resolveAuthOptions } from './core/options/resolve-auth-options';
import { tokenSettingsFrom } from './core/options/resolve-token-settings';
import { TOKEN_SETTINGS } from './core/tokens/token-settings';
import { CLOCK, type Clock, systemClock } from './core/clock/clock';
import { InMemoryRevocationList } from './core/revocation/in-memory-revocation-list';
import { REVOCATION_LIST, revocationWindowMs } from './core/model/revocation-list.port';
import type { AuthRedis } from './adapters/redis/auth-redis';
import { AUTH_REDIS } from './adapters/redis/auth-redis.token';
import { redisParts } from './auth.adapters';
import { BUILT_IN_SESSION_STORE, BUILT_IN_USER_STORE } from './core/built-in-stores';
import { accountKeyHasher } from './core/throttling/account-key';
import { AUTH_THROTTLER_STORAGE } from './http/throttling/throttler-storage.token';
import { ClockedThrottlerStorage } from './http/throttling/clocked-throttler.storage';
import { FailedLogins } from './core/throttling/failed-logins';
import { InMemoryFailedLoginStore } from './core/throttling/in-memory-failed-login.store';
import { SESSION_STORE, type SessionStore } from './core/model/session-store.port';
import { AuthService } from './core/auth.service';
import { HookRunner } from './core/hooks/hook-runner';
import { RefreshTokenTransport } from './http/cookies/refresh-token.transport';
import { DeviceTokenTransport } from './http/cookies/device-token.transport';
import { RecentAuthentication } from './http/recent-authentication';
import { AuthEvents } from './core/events/auth-events';
import { AuthRedisHealth } from './adapters/redis/auth-redis-health';
import { AccessTokenGuard } from './http/guards/access-token.guard';
import { AccessTokenAuthenticator } from './core/sessions/access-token.authenticator';
import { JsonBodyGuard } from './http/guards/json-body.guard';
import { RefreshCookieCsrfGuard } from './http/guards/refresh-cookie-csrf.guard';
import { RolesGuard } from './http/guards/roles.guard';
import { PasswordService } from './core/passwords/password.service';
import { CurrentPasswordCheck } from './core/accounts/current-password-check';
import { RevocationListLoader } from './core/revocation/revocation-list.loader';
import { SessionPruner } from './core/sessions/session-pruner';
import { StoreContract } from './core/store-contract';
import { AccessTokenStrategy } from './http/strategies/access-token.strategy';
import { RefreshTokenStrategy } from './http/strategies/refresh-token.strategy';
import { ClientRateLimitGuard } from './http/guards/client-rate-limit.guard';
import { TokenService } from './core/tokens/token.service';
import { USER_STORE, type UserStore } from './core/model/user-store.port';

/**
 * The ports, each bound to the store the options name, or else to the default: the TypeORM stores (registered
 * as the `typeorm` extra says; a store both given and registered is refused, so no unused table is ever registered); the revocation list, the rate-limit counters and the failed-login counters
 * in Redis when `redisUrl` is set (several instances then behave as one), else in process.
 */
const storeProviders: Provider[] = [
  {
    provide: USER_STORE,
    inject: [AUTH_OPTIONS, BUILT_IN_STORES, { token: BUILT_IN_USER_STORE, optional: true }],
    useFactory: (options: ResolvedAuthOptions, builtIn: BuiltInStores, typeorm?: UserStore) =>
      chooseStore('userStore', 'users', options.userStore, builtIn.users ? typeorm : undefined),
  },
  {
    provide: SESSION_STORE,
    inject: [AUTH_OPTIONS, BUILT_IN_STORES, { token: BUILT_IN_SESSION_STORE, optional: true }],
    useFactory: (options: ResolvedAuthOptions, builtIn: BuiltInStores, typeorm?: SessionStore) =>
      chooseStore(
        'sessionStore',
        'sessions',
        options.sessionStore,
        builtIn.sessions ? typeorm : undefined,
      ),
  },
  {
    provide: AUTH_REDIS,
    inject: [AUTH_OPTIONS],
    useFactory: (options: ResolvedAuthOptions) =>
      options.redisUrl ? redisParts().connect(options.redisUrl, options.redisKeyPrefix) : null,
  },
  {
    provide: REVOCATION_LIST,
    inject: [AUTH_OPTIONS, CLOCK, AUTH_REDIS, SESSION_STORE],
    useFactory: (
      options: ResolvedAuthOptions,
      clock: Clock,
      redis: AuthRedis | null,
      sessions: SessionStore,
    ) =>
      options.revocationList ??
      (redis
        ? redisParts().revocationList(
            redis,
            clock,
            sessions,
            revocationWindowMs(options.jwtExpiration),
          )
        : new InMemoryRevocationList(clock)),
  },
  {
    provide: AUTH_THROTTLER_STORAGE,
    inject: [AUTH_OPTIONS, CLOCK, AUTH_REDIS],
    useFactory: (options: ResolvedAuthOptions, clock: Clock, redis: AuthRedis | null) =>
      options.throttlerStorage ??
      (redis ? redisParts().throttlerStorage(redis) : new ClockedThrottlerStorage(clock)),
  },
  {
    provide: FailedLogins,
    inject: [AUTH_OPTIONS, CLOCK, AUTH_REDIS],
    useFactory: (options: ResolvedAuthOptions, clock: Clock, redis: AuthRedis | null) =>
      new FailedLogins(
        clock,
        redis ? redisParts().failedLoginStore(redis) : new InMemoryFailedLoginStore(),
        // The refresh secret is set in every mode and shared by every instance, as the key must be.
        accountKeyHasher(options.jwtRefreshSecret),
      ),
  },
];

/**
 * Every provider of the module: its resolved options, its clock (a test overrides `CLOCK` with a `ManualClock`), the
 * ports and the services. `AuthModule` lists this alone.
 */
export const authProviders: Provider[] = [
  {
    provide: AUTH_OPTIONS,
    inject: [RAW_AUTH_OPTIONS],
    // Unknown keys and misplaced extras are the composition root's to name: it knows the extras.
    useFactory: (options: AuthModuleOptions) =>
      resolveAuthOptions(options, optionKeyProblems(options)),
  },
  // The token layer gets only its settings, keys ready: never the module options.
  { provide: TOKEN_SETTINGS, inject: [AUTH_OPTIONS], useFactory: tokenSettingsFrom },
  { provide: CLOCK, useValue: systemClock },
  ...storeProviders,
  HookRunner,
  TokenService,
  AccessTokenAuthenticator,
  PasswordService,
  CurrentPasswordCheck,
  AuthService,
  AuthEvents,
  RevocationListLoader,
  SessionPruner,
  StoreContract,
  AccessTokenStrategy,
  RefreshTokenStrategy,
  AccessTokenGuard,
  RolesGuard,
  RefreshCookieCsrfGuard,
  JsonBodyGuard,
  RefreshTokenTransport,
  DeviceTokenTransport,
  RecentAuthentication,
  ClientRateLimitGuard,
  AuthRedisHealth,
];

/** The host's store or the built-in one: exactly one of them, else a boot error that says what to change. */
function chooseStore<T>(
  option: 'userStore' | 'sessionStore',
  extra: keyof BuiltInStores,
  given: T | undefined,
  builtIn: T | undefined,
): T {
  if (given && builtIn) {
    throw new Error(
      `AuthModule: ${option} is given, so the built-in ${extra} store is not needed: set the typeorm extra to { ${extra}: false } (beside useFactory with forRootAsync)`,
    );
  }
  const store = given ?? builtIn;
  if (!store) {
    throw new Error(
      `AuthModule: the option ${option} is required when the typeorm extra leaves out the built-in ${extra} store`,
    );
  }
  return store;
}
