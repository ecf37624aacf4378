import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /**
   * 200 when the database (and Redis, when `REDIS_URL` is set) answers, 503 otherwise; within 1.5 s when it does not answer at all (a dead server is
   * noticed sooner, by the pool's own bounds: see `postgresPoolOptions`).
   */
  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      ...(this.redis.configured ? [() => this.redis.pingCheck('redis')] : []),
    ]);
  }
}
