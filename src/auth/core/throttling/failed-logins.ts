import { Logger } from '@nestjs/common';
import type { Clock } from '../clock/clock';
import { OutageWarning } from '../logging/outage-warning';
import {
  FAILURE_MEMORY_MS,
  type FailedLoginStore,
  type FailureRecord,
} from '../model/failed-login-store.port';
import { AuthError } from '../errors/auth-error';

/** Failures an account may have before each further one makes it wait. */
export const FREE_FAILURES = 5;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * Per-account slowdown (docs/operations.md: Abuse limits), keyed by the normalized email whatever the IP, so that spreading a
 * password-guessing attack over many addresses does not help. After {@link FREE_FAILURES} failures, each further
 * one makes the account wait twice as long (1 s, 2 s, 4 s … 15 min); a success clears the record. Unknown emails
 * are counted like known ones, so the slowdown reveals nothing about who is registered. Only this account waits:
 * others are untouched. If the store fails (Redis away), logins go on without slowdown, with a warning.
 */
export class FailedLogins {
  private readonly outage = new OutageWarning(
    new Logger(FailedLogins.name),
    'Failed logins not counted (store unavailable)',
  );

  constructor(
    private readonly clock: Clock,
    private readonly store: FailedLoginStore,
    private readonly accountKey: (email: string) => string,
  ) {}

  /** Throws an AuthError `RATE_LIMITED`, with the seconds left to wait, while the account must wait. */
  async assertMayTry(email: string): Promise<void> {
    const failures = await this.read(this.accountKey(email));
    const now = this.clock.now();
    if (failures && failures.waitUntil > now) {
      throw new AuthError('RATE_LIMITED', {
        message: 'Too many failed logins for this account; try again later',
        retryAfterSeconds: Math.ceil((failures.waitUntil - now) / 1000),
      });
    }
  }

  async recordFailure(email: string): Promise<void> {
    const now = this.clock.now();
    const key = this.accountKey(email);
    const previous = await this.read(key);
    const count = previous && now - previous.lastAt < FAILURE_MEMORY_MS ? previous.count + 1 : 1;
    const excess = count - FREE_FAILURES;
    const waitUntil =
      excess > 0 ? now + Math.min(FIRST_DELAY_MS * 2 ** (excess - 1), MAX_DELAY_MS) : 0;
    await this.attempt(() => this.store.set(key, { count, lastAt: now, waitUntil }));
  }

  async recordSuccess(email: string): Promise<void> {
    const key = this.accountKey(email);
    await this.attempt(() => this.store.delete(key));
  }

  private async read(key: string): Promise<FailureRecord | undefined> {
    return this.attempt(() => this.store.get(key));
  }

  private async attempt<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await operation();
      this.outage.succeeded();
      return result;
    } catch (error) {
      this.outage.failed(error);
      return undefined;
    }
  }
}
