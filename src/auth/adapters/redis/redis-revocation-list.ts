import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Clock } from '../../core/clock/clock';
import { DatabaseRevocationPoller } from '../../core/revocation/database-revocation-poller';
import { InMemoryRevocationList } from '../../core/revocation/in-memory-revocation-list';
import {
  revocationEntries,
  type RevocationList,
  type RevocationListener,
  type RevokedSession,
} from '../../core/model/revocation-list.port';
import type { SessionStore } from '../../core/model/session-store.port';
import type { AuthRedis } from './auth-redis';
import { errorMessage } from '../../core/logging/log-line';

const SET = 'revoked-sessions';
const CHANNEL = 'revocations';
/**
 * How long boot waits for the subscription to be confirmed: with Redis up it takes milliseconds, and an instance
 * that served before it could miss a revocation published in between; with Redis away, boot goes on after this.
 */
const SUBSCRIBE_WAIT_MS = 1000;

/**
 * The revocation list of several instances sharing one Redis. The guard asks a local set (no Redis round trip per
 * request); a revocation goes into that set, into a Redis sorted set scored by expiry, and out on a pub/sub channel
 * that every instance listens to, so it is refused everywhere within milliseconds.
 *
 * While Redis is away, revocations still reach the database (the source of truth) and the local set, and are
 * kept to be published; meanwhile each instance polls the database for what others revoked (see
 * {@link DatabaseRevocationPoller}), so a revocation is refused everywhere within about a second all the same. Each time an instance's connection becomes ready it publishes what it kept, then reloads
 * the Redis set and, after a lost connection, the database's recent revocations: what any instance revoked
 * meanwhile reaches all of them within a reconnection delay (0.5 s) of Redis returning. At boot the database is
 * read once, by the RevocationListLoader, whose batch comes in through {@link revokeMany}.
 */
export class RedisRevocationList
  implements RevocationList, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly local: InMemoryRevocationList;
  /** What could not be published yet, by session id. */
  private readonly unpublished = new Map<string, RevokedSession>();
  private readonly logger = new Logger(RedisRevocationList.name);
  /** Set when a connection closes: what was revoked meanwhile may be only in the database. */
  private databaseMissed = false;
  private readonly poller: DatabaseRevocationPoller;

  constructor(
    private readonly redis: AuthRedis,
    private readonly clock: Clock,
    private readonly sessions: SessionStore,
    /** How long a revocation matters: the access-token lifetime (see revocationWindowMs). */
    private readonly windowMs: number,
  ) {
    this.local = new InMemoryRevocationList(clock);
    this.poller = new DatabaseRevocationPoller(sessions, clock, windowMs, (entries) =>
      this.local.revokeMany(entries),
    );
  }

  isRevoked(sessionId: string, issuedAt?: number): boolean {
    return this.local.isRevoked(sessionId, issuedAt);
  }

  revoke(sessionId: string, until: number): Promise<void> {
    return this.revokeMany([{ sessionId, until }]);
  }

  /** Everything this list takes in (own, published, polled, reloaded) goes through the local set: it tells. */
  onRevoked(listener: RevocationListener): () => void {
    return this.local.onRevoked(listener);
  }

  /** Records the batch here, then publishes it in one MULTI: one ZADD and one message for all of it. */
  async revokeMany(entries: readonly RevokedSession[]): Promise<void> {
    await this.local.revokeMany(entries);
    try {
      await this.publish(entries);
    } catch {
      // Redis is away: the revocations are in the database and here; they are published when Redis returns.
      for (const entry of entries) this.unpublished.set(entry.sessionId, entry);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    this.redis.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.redis.key(CHANNEL)) this.receive(message);
    });
    for (const client of [this.redis.subscriber, this.redis.commands]) {
      client.on('close', () => {
        this.databaseMissed = true;
        this.poller.start();
      });
      client.on('ready', () => void this.resynchronize());
    }
    // Awaited for a bounded time only: with Redis away at boot, the subscription waits for it, and the app must
    // start all the same (polling the database meanwhile).
    const subscribed = this.redis.subscriber
      .subscribe(this.redis.key(CHANNEL))
      .then(() => true)
      .catch((error: unknown) => (this.warn(error), false));
    const timeout = new Promise<false>((resolve) =>
      setTimeout(resolve, SUBSCRIBE_WAIT_MS, false).unref(),
    );
    if (!(await Promise.race([subscribed, timeout]))) this.poller.start();
    await this.resynchronize();
  }

  onModuleDestroy(): void {
    this.poller.stop();
    this.local.onModuleDestroy();
  }

  /**
   * One message for the batch: a line `<sessionId> <until>` per revocation, `<sessionId> <until> <issuedUpTo>` per
   * cut-off. The sorted set holds `<sessionId>` or `<sessionId> <issuedUpTo>`, scored by `until`.
   */
  private async publish(entries: readonly RevokedSession[]): Promise<void> {
    if (entries.length === 0) return;
    const scored = entries.flatMap((entry) => [entry.until, member(entry)]);
    const message = entries.map((entry) => `${member(entry)} ${entry.until}`).join('\n');
    await this.redis.commands
      .multi()
      .zadd(this.redis.key(SET), ...scored)
      .zremrangebyscore(this.redis.key(SET), '-inf', this.clock.now())
      .publish(this.redis.key(CHANNEL), message)
      .exec();
  }

  private receive(message: string): void {
    const entries = message.split('\n').flatMap((line) => {
      const fields = line.split(' ');
      const until = Number(fields.pop());
      const entry = fromMember(fields.join(' '));
      return entry && Number.isFinite(until) ? [{ ...entry, until }] : [];
    });
    void this.local.revokeMany(entries);
  }

  /** Publishes what was kept during an outage, then takes in everything revoked within the window. */
  private async resynchronize(): Promise<void> {
    if (!this.redis.isReady) return;
    const fromDatabase = this.databaseMissed;
    this.databaseMissed = false;
    try {
      const kept = [...this.unpublished.values()];
      await this.publish(kept);
      for (const entry of kept) {
        // Unless revoked again meanwhile (then kept for the next time).
        if (this.unpublished.get(entry.sessionId) === entry)
          this.unpublished.delete(entry.sessionId);
      }
      const now = this.clock.now();
      const scored = await this.redis.commands.zrangebyscore(
        this.redis.key(SET),
        now,
        '+inf',
        'WITHSCORES',
      );
      const fromRedis: RevokedSession[] = [];
      for (let index = 0; index < scored.length; index += 2) {
        const entry = fromMember(scored[index]);
        if (entry) fromRedis.push({ ...entry, until: Number(scored[index + 1]) });
      }
      await this.local.revokeMany(fromRedis);
      // Both connections back: messages arrive again.
      if (this.redis.subscriber.status === 'ready') this.poller.stop();
      if (!fromDatabase) return;
      const revoked = await this.sessions.listRevokedSince(now - this.windowMs);
      await this.local.revokeMany(revocationEntries(revoked, this.windowMs));
    } catch (error) {
      if (fromDatabase) this.databaseMissed = true;
      this.warn(error);
    }
  }

  private warn(error: unknown): void {
    this.logger.warn(`Revocations not synchronized yet: ${errorMessage(error)}`);
  }
}

/** A sorted-set member: the session id, and the cut-off second when the entry is one. */
function member({ sessionId, issuedUpTo }: RevokedSession): string {
  return issuedUpTo === undefined || issuedUpTo === Number.POSITIVE_INFINITY
    ? sessionId
    : `${sessionId} ${issuedUpTo}`;
}

function fromMember(text: string): Omit<RevokedSession, 'until'> | undefined {
  const [sessionId, issuedUpTo, extra] = text.split(' ');
  if (!sessionId || extra !== undefined) return undefined;
  if (issuedUpTo === undefined) return { sessionId };
  return Number.isFinite(Number(issuedUpTo))
    ? { sessionId, issuedUpTo: Number(issuedUpTo) }
    : undefined;
}
