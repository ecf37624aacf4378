import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AuthRedisHealth } from '../auth/adapters/redis';

/** Whether the Redis the module shares state through answers a PING within a second. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: AuthRedisHealth,
  ) {}

  get configured(): boolean {
    return this.redis.configured;
  }

  async pingCheck(key: string) {
    const indicator = this.indicators.check(key);
    return (await this.redis.ping(1000))
      ? indicator.up()
      : indicator.down({ message: 'Redis does not answer' });
  }
}
