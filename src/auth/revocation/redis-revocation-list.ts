import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Clock } from '../clock/clock';
import { InMemoryRevocationList } from './in-memory-revocation-list';
import type { RevocationList } from './revocation-list.port';
import type { SessionStore } from '../sessions/session-store.port';
import type { AuthRedis } from '../redis/auth-redis';
import { errorMessage } from '../logging/log-line';

const SET = 'revoked-sessions';
const CHANNEL = 'revocations';

/**
 * The revocation list of several instances sharing one Redis. The guard asks a local set (no Redis round trip per
 * request); a revocation goes into that set, into a Redis sorted set scored by expiry, and out on a pub/sub channel
 * that every instance listens to, so it is refused everywhere within milliseconds.
 *
 * While Redis is away, revocations still reach the database (the source of truth) and the local set, and are
 * kept to be published. Each time an instance's connection becomes ready it publishes what it kept, then reloads
 * both the Redis set and the database's recent revocations: what any instance revoked meanwhile reaches all of
 * them within a reconnection delay (0.5 s) of Redis returning.
 */
export class RedisRevocationList
  implements RevocationList, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly local: InMemoryRevocationList;
  private readonly unpublished = new Map<string, number>();
  private readonly logger = new Logger(RedisRevocationList.name);

  constructor(
    private readonly redis: AuthRedis,
    private readonly clock: Clock,
    private readonly sessions: SessionStore,
    /** How long a revocation matters: the access-token lifetime (see revocationWindowMs). */
    private readonly windowMs: number,
  ) {
    this.local = new InMemoryRevocationList(clock);
  }

  isRevoked(sessionId: string): boolean {
    return this.local.isRevoked(sessionId);
  }

  async revoke(sessionId: string, until: number): Promise<void> {
    await this.local.revoke(sessionId, until);
    try {
      await this.publish(sessionId, until);
    } catch {
      // Redis is away: the revocation is in the database and here; it is published when Redis returns.
      this.unpublished.set(sessionId, until);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    this.redis.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.redis.key(CHANNEL)) this.receive(message);
    });
    this.redis.subscriber.on('ready', () => void this.resynchronize());
    this.redis.commands.on('ready', () => void this.resynchronize());
    // Not awaited: with Redis away at boot, the subscription waits for it, and the app must start all the same.
    this.redis.subscriber
      .subscribe(this.redis.key(CHANNEL))
      .catch((error: unknown) => this.warn(error));
    await this.resynchronize();
  }

  onModuleDestroy(): void {
    this.local.onModuleDestroy();
  }

  private async publish(sessionId: string, until: number): Promise<void> {
    await this.redis.commands
      .multi()
      .zadd(this.redis.key(SET), until, sessionId)
      .zremrangebyscore(this.redis.key(SET), '-inf', this.clock.now())
      .publish(this.redis.key(CHANNEL), `${sessionId} ${until}`)
      .exec();
  }

  private receive(message: string): void {
    const [sessionId, until] = message.split(' ');
    if (sessionId && Number.isFinite(Number(until)))
      void this.local.revoke(sessionId, Number(until));
  }

  /** Publishes what was kept during an outage, then takes in everything revoked within the window. */
  private async resynchronize(): Promise<void> {
    if (!this.redis.isReady) return;
    try {
      for (const [sessionId, until] of [...this.unpublished]) {
        await this.publish(sessionId, until);
        this.unpublished.delete(sessionId);
      }
      const now = this.clock.now();
      const entries = await this.redis.commands.zrangebyscore(
        this.redis.key(SET),
        now,
        '+inf',
        'WITHSCORES',
      );
      for (let index = 0; index < entries.length; index += 2) {
        await this.local.revoke(entries[index], Number(entries[index + 1]));
      }
      for (const { id, revokedAt } of await this.sessions.listRevokedSince(now - this.windowMs)) {
        await this.local.revoke(id, revokedAt + this.windowMs);
      }
    } catch (error) {
      this.warn(error);
    }
  }

  private warn(error: unknown): void {
    this.logger.warn(`Revocations not synchronized yet: ${errorMessage(error)}`);
  }
}
