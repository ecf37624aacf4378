import { Inject, Injectable } from '@nestjs/common';
import type { AuthRedis } from './auth-redis';
import { AUTH_REDIS } from './auth-redis.token';

/**
 * The health of the Redis the module shares state through (docs/operations.md: Several instances: PostgreSQL and Redis), for a
 * host's health check: the module's connection stays private, this only reports whether it answers. Injectable
 * wherever the module is imported.
 */
@Injectable()
export class AuthRedisHealth {
  constructor(@Inject(AUTH_REDIS) private readonly redis: AuthRedis | null) {}

  /** True when the `redisUrl` option is set; false when the module keeps its state in process. */
  get configured(): boolean {
    return this.redis !== null;
  }

  /**
   * Whether Redis answers a PING within `timeoutMs` milliseconds (default 1000). Never throws: false when Redis is
   * away, slow, or not configured.
   */
  async ping(timeoutMs = 1000): Promise<boolean> {
    return (await this.redis?.ping(timeoutMs)) ?? false;
  }
}
