import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { OutageWarning } from '../../core/logging/outage-warning';
import type { AuthRedis } from './auth-redis';

/**
 * One atomic step of @nestjs/throttler's semantics in Redis: count a hit in the key's window (which starts with its
 * first hit), and past the limit block the key for `blockDuration`. Returns hits, the window's and the block's
 * remaining milliseconds.
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return { hits, redis.call('PTTL', KEYS[1]), blocked }
`;

/**
 * Rate-limit counters shared by every instance through Redis, so that several instances limit as one. While Redis
 * is away, requests are let through (with one warning): an outage of the limiter must not lock every user out.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly outage = new OutageWarning(
    new Logger(RedisThrottlerStorage.name),
    'Rate limits not counted (Redis unavailable)',
  );

  constructor(private readonly redis: AuthRedis) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, windowLeft, blockLeft] = (await this.redis.commands.eval(
        INCREMENT,
        2,
        this.redis.key(`throttle:${key}`),
        this.redis.key(`throttle:${key}:blocked`),
        ttl,
        limit,
        blockDuration,
      )) as [number, number, number];
      this.outage.succeeded();
      const isBlocked = blockLeft > 0;
      return {
        totalHits: hits,
        timeToExpire: Math.max(0, Math.ceil(windowLeft / 1000)),
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil(blockLeft / 1000) : 0,
      };
    } catch (error) {
      this.outage.failed(error);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
