import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Clock } from '../../core/clock/clock';
import type { RevocationList } from '../../core/model/revocation-list.port';
import type { SessionStore } from '../../core/model/session-store.port';
import type { FailedLoginStore } from '../../core/model/failed-login-store.port';
import { AuthRedis } from './auth-redis';
import { RedisFailedLoginStore } from './redis-failed-login.store';
import { RedisRevocationList } from './redis-revocation-list';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * What the module keeps in Redis when `redisUrl` is set. Loaded by the composition root only then, so that a host
 * without Redis needs not install `ioredis`.
 */
export const redisParts = {
  connect: (url: string, keyPrefix: string): AuthRedis => new AuthRedis(url, keyPrefix),
  revocationList: (
    redis: AuthRedis,
    clock: Clock,
    sessions: SessionStore,
    windowMs: number,
  ): RevocationList => new RedisRevocationList(redis, clock, sessions, windowMs),
  throttlerStorage: (redis: AuthRedis): ThrottlerStorage => new RedisThrottlerStorage(redis),
  failedLoginStore: (redis: AuthRedis): FailedLoginStore => new RedisFailedLoginStore(redis),
};
