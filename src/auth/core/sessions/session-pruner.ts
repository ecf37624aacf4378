import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../options/auth.options';
import { CLOCK, type Clock } from '../clock/clock';
import { SESSION_STORE, type SessionStore } from '../model/session-store.port';
import { errorMessage } from '../logging/log-line';
import { AUTH_PRUNABLES, type ResolvedPrunable } from '../model/prunable-store.port';

/** How much one run may delete: `batchSize` sessions per statement, at most `maxBatches` statements. */
export interface PruneLimits {
  batchSize: number;
  maxBatches: number;
}

/** Up to 100,000 sessions per run, 1,000 per statement: a backlog goes over several runs, each of bounded work. */
export const DEFAULT_PRUNE_LIMITS: PruneLimits = { batchSize: 1000, maxBatches: 100 };

/** Overrides {@link DEFAULT_PRUNE_LIMITS} (for tests). Not part of the public surface. */
export const PRUNE_LIMITS = Symbol('PruneLimits');

/**
 * How long a dead session is kept: the access-token lifetime plus a minute. A session's access tokens were all
 * issued while it was live (before its revocation, its idle and its absolute deadline), so once it has been dead
 * that long every one of them has expired; and the revocation list only needs sessions revoked within the
 * access-token lifetime plus a second (`revocationWindowMs`, what it is rebuilt from at boot). The extra minute
 * leaves room for clocks of instances that differ a little (one pruning, another rebuilding its list).
 */
export function pruneRetentionMs(accessTokenLifetimeSeconds: number): number {
  return (accessTokenLifetimeSeconds + 60) * 1000;
}

/**
 * Deletes dead sessions and their refresh tokens every `pruneInterval` seconds, so that the tables do not grow
 * forever; then what the features registered as prunable (`FeatureParts.prunables`: spent and expired mail tokens,
 * ...), each batch after batch on the same bounds, a failure of one logged without stopping the others. A run deletes batch after batch while batches come back full, up to a bound; what is left goes on the next
 * run. Runs never overlap (a tick finding the previous run still going is skipped), and a failed run is logged, never
 * thrown. Several instances may prune at once: the store's deletes are idempotent.
 *
 * Hosts that prefer their own scheduler (a cron job) set `pruneInterval: 0` and call {@link pruneNow}.
 */
@Injectable()
export class SessionPruner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SessionPruner.name);
  private timer: NodeJS.Timeout | undefined;
  /** The run in progress, if any: later runs wait for it. */
  private running: Promise<number> | undefined;
  private stopping = false;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(PRUNE_LIMITS) private readonly limits: PruneLimits = DEFAULT_PRUNE_LIMITS,
    @Optional()
    @Inject(AUTH_PRUNABLES)
    private readonly prunables: readonly ResolvedPrunable[] = [],
  ) {}

  /** Starts the schedule once the app is up (migrations run): the first run comes one interval after boot. */
  onApplicationBootstrap(): void {
    const interval = this.options.pruneInterval;
    if (interval === 0 || this.timer !== undefined) return;
    if (!this.sessions.pruneExpired) {
      this.logger.warn(
        'The session store has no pruneExpired: expired sessions are not pruned (pruneInterval: 0 silences this)',
      );
      if (!this.prunables.some(({ store }) => store.pruneExpired)) return;
    }
    this.timer = setInterval(() => this.tick(), interval * 1000);
    // The schedule alone never keeps the process alive.
    this.timer.unref();
  }

  /** Stops the schedule; a run in progress ends after its current batch, before the data source closes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  /**
   * Prunes now: deletes sessions dead for longer than the retention (the access-token lifetime plus a minute), in
   * batches, up to the per-run bound, then the features' prunables (their failures are logged); returns how many
   * sessions were deleted (0 if the store cannot prune). Waits for a run in progress first, so runs never overlap.
   * Rejects if the session store fails (the features' prunables run all the same).
   */
  pruneNow(): Promise<number> {
    const previous = this.running ?? Promise.resolve(0);
    const run = previous.then(
      () => this.run(),
      () => this.run(),
    );
    this.running = run;
    const settle = (): void => {
      if (this.running === run) this.running = undefined;
    };
    void run.then(settle, settle);
    return run;
  }

  private tick(): void {
    if (this.running !== undefined) {
      this.logger.warn('Pruning of expired sessions skipped: the previous run is still going');
      return;
    }
    this.pruneNow().catch((error: unknown) => {
      // One line whatever the driver's message: the next tick tries again.
      this.logger.error(`Pruning of expired sessions failed: ${errorMessage(error)}`);
    });
  }

  private async run(): Promise<number> {
    let sessionsFailure: { error: unknown } | undefined;
    let deleted = 0;
    const prune = this.sessions.pruneExpired?.bind(this.sessions);
    if (prune) {
      const before = this.clock.now() - pruneRetentionMs(this.options.jwtExpiration);
      try {
        deleted = await this.drain('expired sessions', (limit) => prune(before, limit));
      } catch (error) {
        sessionsFailure = { error };
      }
    }
    for (const { what, store } of this.prunables) {
      const pruneFeature = store.pruneExpired?.bind(store);
      if (!pruneFeature || this.stopping) continue;
      const now = this.clock.now();
      await this.drain(what, (limit) => pruneFeature(now, limit)).catch((error: unknown) =>
        this.logger.error(`Pruning of ${what} failed: ${errorMessage(error)}`),
      );
    }
    if (sessionsFailure) throw sessionsFailure.error;
    return deleted;
  }

  /** Deletes batch after batch while batches come back full, up to the per-run bound; returns how many went. */
  private async drain(what: string, prune: (limit: number) => Promise<number>): Promise<number> {
    const { batchSize, maxBatches } = this.limits;
    let deleted = 0;
    for (let batch = 0; batch < maxBatches && !this.stopping; batch += 1) {
      const count = await prune(batchSize);
      deleted += count;
      if (count < batchSize) {
        if (deleted > 0) this.logger.log(`Pruned ${deleted} ${what}`);
        return deleted;
      }
    }
    if (deleted > 0) this.logger.log(`Pruned ${deleted} ${what}; the rest goes on the next run`);
    return deleted;
  }
}
