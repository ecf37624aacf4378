import type { Provider } from '@nestjs/common';
import { UsersService } from '../users/users.service';
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
 * unless the `typeorm` extra is false); the revocation list, the rate-limit counters and the failed-login counters
 * in Redis when `redisUrl` is set (several instances then behave as one), else in process.
 */
export const storeProviders: Provider[] = [
  {
    provide: USER_STORE,
    inject: [AUTH_OPTIONS, { token: UsersService, optional: true }],
    useFactory: (options: ResolvedAuthOptions, typeorm?: UsersService) =>
      options.userStore ?? typeorm ?? missingStore('userStore'),
  },
  {
    provide: SESSION_STORE,
    inject: [AUTH_OPTIONS, { token: TypeOrmSessionStore, optional: true }],
    useFactory: (options: ResolvedAuthOptions, typeorm?: TypeOrmSessionStore) =>
      options.sessionStore ?? typeorm ?? missingStore('sessionStore'),
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

function missingStore(name: string): never {
  throw new Error(`AuthModule: the option ${name} is required when the typeorm extra is false`);
}
