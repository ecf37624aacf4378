import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AUTH_REDIS, type AuthRedis } from '../auth';

/** Whether the Redis the module shares state through answers a PING within a second. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(AUTH_REDIS) private readonly redis: AuthRedis | null,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  async pingCheck(key: string) {
    const indicator = this.indicators.check(key);
    return (await this.redis?.ping(1000))
      ? indicator.up()
      : indicator.down({ message: 'Redis does not answer' });
  }
}
