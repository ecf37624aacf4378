import {
  FAILURE_MEMORY_MS,
  type FailedLoginStore,
  type FailureRecord,
} from '../../core/model/failed-login-store.port';
import type { AuthRedis } from './auth-redis';

/** Failed-login records shared by every instance, expiring by themselves in Redis. */
export class RedisFailedLoginStore implements FailedLoginStore {
  constructor(private readonly redis: AuthRedis) {}

  async get(accountKey: string): Promise<FailureRecord | undefined> {
    const value = await this.redis.commands.get(this.keyOf(accountKey));
    return value === null ? undefined : (JSON.parse(value) as FailureRecord);
  }

  async set(accountKey: string, record: FailureRecord): Promise<void> {
    await this.redis.commands.set(
      this.keyOf(accountKey),
      JSON.stringify(record),
      'PX',
      FAILURE_MEMORY_MS,
    );
  }

  async delete(accountKey: string): Promise<void> {
    await this.redis.commands.del(this.keyOf(accountKey));
  }

  private keyOf(accountKey: string): string {
    return this.redis.key(`failed-logins:${accountKey}`);
  }
}
