import type { Provider } from '@nestjs/common';
import { UsersService } from '../users/users.service';
import { BUILT_IN_STORES, type BuiltInStores } from './auth.module-extras';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './auth.options';
import { CLOCK, type Clock } from './clock/clock';
import { InMemoryRevocationList } from './revocation/in-memory-revocation-list';
import { REVOCATION_LIST, revocationWindowMs } from './revocation/revocation-list.port';
import { AUTH_REDIS, AuthRedis } from './redis/auth-redis';
import { RedisFailedLoginStore } from './redis/redis-failed-login.store';
import { RedisRevocationList } from './redis/redis-revocation-list';
import { RedisThrottlerStorage } from './redis/redis-throttler.storage';
import { AUTH_THROTTLER_STORAGE } from './throttling/auth-throttle.guard';
import { ClockedThrottlerStorage } from './throttling/clocked-throttler.storage';
import {
  accountKeyHasher,
  FailedLogins,
  InMemoryFailedLoginStore,
} from './throttling/failed-logins';
import { SESSION_STORE, type SessionStore } from './sessions/session-store.port';
import { TypeOrmSessionStore } from './sessions/typeorm-session.store';
import { USER_STORE } from './user-store.port';

/**
 * The ports, each bound to the store the options name, or else to the default: the TypeORM stores (registered
 * as the `typeorm` extra says; a store both given and registered is refused, so no unused table is ever registered); the revocation list, the rate-limit counters and the failed-login counters
 * in Redis when `redisUrl` is set (several instances then behave as one), else in process.
 */
export const storeProviders: Provider[] = [
  {
    provide: USER_STORE,
    inject: [AUTH_OPTIONS, BUILT_IN_STORES, { token: UsersService, optional: true }],
    useFactory: (options: ResolvedAuthOptions, builtIn: BuiltInStores, typeorm?: UsersService) =>
      chooseStore('userStore', 'users', options.userStore, builtIn.users ? typeorm : undefined),
  },
  {
    provide: SESSION_STORE,
    inject: [AUTH_OPTIONS, BUILT_IN_STORES, { token: TypeOrmSessionStore, optional: true }],
    useFactory: (
      options: ResolvedAuthOptions,
      builtIn: BuiltInStores,
      typeorm?: TypeOrmSessionStore,
    ) =>
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
      options.redisUrl ? new AuthRedis(options.redisUrl, options.redisKeyPrefix) : null,
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
        ? new RedisRevocationList(redis, clock, sessions, revocationWindowMs(options.jwtExpiration))
        : new InMemoryRevocationList(clock)),
  },
  {
    provide: AUTH_THROTTLER_STORAGE,
    inject: [AUTH_OPTIONS, CLOCK, AUTH_REDIS],
    useFactory: (options: ResolvedAuthOptions, clock: Clock, redis: AuthRedis | null) =>
      options.throttlerStorage ??
      (redis ? new RedisThrottlerStorage(redis) : new ClockedThrottlerStorage(clock)),
  },
  {
    provide: FailedLogins,
    inject: [AUTH_OPTIONS, CLOCK, AUTH_REDIS],
    useFactory: (options: ResolvedAuthOptions, clock: Clock, redis: AuthRedis | null) =>
      new FailedLogins(
        clock,
        redis ? new RedisFailedLoginStore(redis) : new InMemoryFailedLoginStore(),
        // The refresh secret is set in every mode and shared by every instance, as the key must be.
        accountKeyHasher(options.jwtRefreshSecret),
      ),
  },
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
