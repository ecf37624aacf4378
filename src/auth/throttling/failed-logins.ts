import { HttpException, HttpStatus } from '@nestjs/common';
import type { Clock } from '../clock/clock';

/** Failures an account may have before each further one makes it wait. */
export const FREE_FAILURES = 5;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60_000;
/** A record is forgotten after this long without a failure. */
const MEMORY_MS = 60 * 60_000;
const MAX_ACCOUNTS = 100_000;

interface Failures {
  count: number;
  lastAt: number;
  waitUntil: number;
}

/** 429 with `Retry-After`: an account is slowed down after repeated failed logins. */
export class TooManyLoginAttemptsException extends HttpException {
  readonly responseHeaders: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super('Too many failed logins for this account; try again later', HttpStatus.TOO_MANY_REQUESTS);
    this.responseHeaders = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/**
 * Per-account slowdown (CONTRACT.md §4.10), keyed by the normalized email whatever the IP, so that spreading a
 * password-guessing attack over many addresses does not help. After {@link FREE_FAILURES} failures, each further
 * one makes the account wait twice as long (1 s, 2 s, 4 s … 15 min); a success clears the record. Unknown emails
 * are counted like known ones, so the slowdown reveals nothing about who is registered. Only this account waits:
 * others are untouched.
 */
export class FailedLogins {
  private readonly accounts = new Map<string, Failures>();

  constructor(private readonly clock: Clock) {}

  /** Throws {@link TooManyLoginAttemptsException} while the account must wait. */
  assertMayTry(email: string): void {
    const failures = this.accounts.get(email);
    const now = this.clock.now();
    if (failures && failures.waitUntil > now) {
      throw new TooManyLoginAttemptsException(Math.ceil((failures.waitUntil - now) / 1000));
    }
  }

  recordFailure(email: string): void {
    const now = this.clock.now();
    const previous = this.accounts.get(email);
    const count = previous && now - previous.lastAt < MEMORY_MS ? previous.count + 1 : 1;
    const excess = count - FREE_FAILURES;
    const waitUntil =
      excess > 0 ? now + Math.min(FIRST_DELAY_MS * 2 ** (excess - 1), MAX_DELAY_MS) : 0;
    this.accounts.delete(email);
    this.accounts.set(email, { count, lastAt: now, waitUntil });
    if (this.accounts.size > MAX_ACCOUNTS) this.accounts.delete(this.accounts.keys().next().value!);
  }

  recordSuccess(email: string): void {
    this.accounts.delete(email);
  }
}
