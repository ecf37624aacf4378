import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { errorMessage } from '../logging/log-line';
import {
  EVERY_TOKEN,
  type RevocationList,
  type RevocationListener,
  type RevokedSession,
} from '../model/revocation-list.port';

const SWEEP_INTERVAL_MS = 60_000;

interface Entry {
  /** When the entry may be forgotten (ms since the epoch). */
  until: number;
  /** The newest `iat` refused (seconds); {@link EVERY_TOKEN} for a revocation. */
  issuedUpTo: number;
}

/** The revocation list of a single instance: a map of session id to what is refused and until when. */
@Injectable()
export class InMemoryRevocationList implements RevocationList, OnModuleDestroy {
  private readonly revokedUntil = new Map<string, Entry>();
  private readonly listeners = new Set<RevocationListener>();
  // Entries expire by themselves; the sweep only keeps memory bounded when nobody asks about them again.
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  isRevoked(sessionId: string, issuedAt = EVERY_TOKEN): boolean {
    const entry = this.revokedUntil.get(sessionId);
    if (entry === undefined) return false;
    if (entry.until <= this.clock.now()) {
      this.revokedUntil.delete(sessionId);
      return false;
    }
    return issuedAt <= entry.issuedUpTo;
  }

  revoke(sessionId: string, until: number): Promise<void> {
    return this.revokeMany([{ sessionId, until }]);
  }

  revokeMany(entries: readonly RevokedSession[]): Promise<void> {
    for (const { sessionId, until, issuedUpTo = EVERY_TOKEN } of entries) {
      const known = this.revokedUntil.get(sessionId);
      this.revokedUntil.set(sessionId, {
        until: Math.max(until, known?.until ?? 0),
        issuedUpTo: Math.max(issuedUpTo, known?.issuedUpTo ?? Number.NEGATIVE_INFINITY),
      });
    }
    this.notify(entries.map(({ sessionId }) => sessionId));
    return Promise.resolve();
  }

  /**
   * Every way in goes through {@link revokeMany}: a local revocation, Redis messages, the poller and the boot's
   * reload (the Redis list keeps one of these and delegates here), so a listener hears of all of them.
   */
  onRevoked(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.revokedUntil.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private notify(sessionIds: readonly string[]): void {
    if (sessionIds.length === 0) return;
    for (const listener of this.listeners) {
      // One listener's failure must neither stop the others nor fail the revocation, which is already recorded.
      try {
        listener(sessionIds);
      } catch (error) {
        new Logger(InMemoryRevocationList.name).error(
          `A revocation listener failed: ${errorMessage(error)}`,
        );
      }
    }
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [sessionId, { until }] of this.revokedUntil) {
      if (until <= now) this.revokedUntil.delete(sessionId);
    }
  }
}
