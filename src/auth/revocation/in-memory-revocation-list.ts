import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import type { RevocationList, RevokedSession } from './revocation-list.port';

const SWEEP_INTERVAL_MS = 60_000;

/** The revocation list of a single instance: a map of session id to the time its entry may be forgotten. */
@Injectable()
export class InMemoryRevocationList implements RevocationList, OnModuleDestroy {
  private readonly revokedUntil = new Map<string, number>();
  // Entries expire by themselves; the sweep only keeps memory bounded when nobody asks about them again.
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  isRevoked(sessionId: string): boolean {
    const until = this.revokedUntil.get(sessionId);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.revokedUntil.delete(sessionId);
    return false;
  }

  revoke(sessionId: string, until: number): Promise<void> {
    this.revokedUntil.set(sessionId, Math.max(until, this.revokedUntil.get(sessionId) ?? 0));
    return Promise.resolve();
  }

  async revokeMany(entries: readonly RevokedSession[]): Promise<void> {
    for (const { sessionId, until } of entries) await this.revoke(sessionId, until);
  }

  get size(): number {
    return this.revokedUntil.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [sessionId, until] of this.revokedUntil) {
      if (until <= now) this.revokedUntil.delete(sessionId);
    }
  }
}
