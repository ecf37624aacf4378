import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { EVERY_TOKEN, type RevocationList, type RevokedSession } from './revocation-list.port';

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
    return Promise.resolve();
  }

  get size(): number {
    return this.revokedUntil.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [sessionId, { until }] of this.revokedUntil) {
      if (until <= now) this.revokedUntil.delete(sessionId);
    }
  }
}
