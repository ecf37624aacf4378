import { Logger } from '@nestjs/common';
import type { Clock } from '../clock/clock';
import { errorMessage } from '../logging/log-line';
import type { SessionStore } from '../model/session-store.port';
import { revocationEntries, type RevokedSession } from '../model/revocation-list.port';

/** How often the database is asked while Redis is away: revocations reach every instance within about this. */
export const REVOCATION_POLL_INTERVAL_MS = 500;
/**
 * How far back each poll looks before the previous one started: revocations commit after their `revoked_at` was
 * taken, and instances' clocks differ by a little; reading a few seconds twice costs nothing (one indexed query).
 */
const POLL_OVERLAP_MS = 5000;

/**
 * While Redis is away, asks the database (the source of truth) every {@link REVOCATION_POLL_INTERVAL_MS} for the
 * sessions revoked since the last poll, so that a revocation made on another instance is refused here within about
 * a second even though no message can arrive (docs/operations.md: Several instances). Started when a Redis connection closes,
 * stopped once Redis is back and resynchronized. At most one query in flight; a failed poll is retried at the next.
 */
export class DatabaseRevocationPoller {
  private timer?: NodeJS.Timeout;
  private since = 0;
  private polling = false;
  private readonly logger = new Logger(DatabaseRevocationPoller.name);

  constructor(
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    /** How long a revocation matters (the access-token lifetime, ms): `until` = `revokedAt` + this. */
    private readonly windowMs: number,
    private readonly revoke: (entries: RevokedSession[]) => Promise<void>,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.since = this.clock.now() - POLL_OVERLAP_MS;
    this.timer = setInterval(() => void this.poll(), REVOCATION_POLL_INTERVAL_MS);
    // Never what keeps a process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const startedAt = this.clock.now();
    try {
      const revoked = await this.sessions.listRevokedSince(this.since);
      await this.revoke(revocationEntries(revoked, this.windowMs));
      this.since = startedAt - POLL_OVERLAP_MS;
    } catch (error) {
      this.logger.debug(`Revocations not read from the database: ${errorMessage(error)}`);
    } finally {
      this.polling = false;
    }
  }
}
