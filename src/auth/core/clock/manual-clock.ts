import type { Clock } from './clock';

/**
 * A clock that moves only when told: for tests of expiry, grace and lifetimes without sleeping.
 * @example `moduleBuilder.overrideProvider(CLOCK).useValue(new ManualClock())`, then `clock.advance(60_000)`.
 */
export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
