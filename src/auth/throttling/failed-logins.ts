import { Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { Clock } from '../clock/clock';
import { OutageWarning } from '../logging/outage-warning';
import { TooManyRequestsException } from '../errors/too-many-requests.exception';

/** Failures an account may have before each further one makes it wait. */
export const FREE_FAILURES = 5;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60_000;
/** A record is forgotten after this long without a failure. */
export const FAILURE_MEMORY_MS = 60 * 60_000;
const MAX_ACCOUNTS = 100_000;

export interface FailureRecord {
  count: number;
  lastAt: number;
  waitUntil: number;
}

/**
 * Where failure records live: in process, or in Redis for several instances. Records are keyed by an account key
 * ({@link accountKeyHasher}), never by the address itself, so the store holds no personal data.
 */
export interface FailedLoginStore {
  get(accountKey: string): Promise<FailureRecord | undefined>;
  /** Keeps `record` at least until `lastAt` + {@link FAILURE_MEMORY_MS}. */
  set(accountKey: string, record: FailureRecord): Promise<void>;
  delete(accountKey: string): Promise<void>;
}

/**
 * The key failure records of an address are stored under: HMAC-SHA-256 of the normalized address with a server
 * secret, base64url. A keyed hash rather than a plain one: addresses are guessable, so a bare SHA-256 in a cache
 * could be reversed from a list of addresses; without the secret it cannot. Every instance derives the same key.
 */
export function accountKeyHasher(secret: string): (email: string) => string {
  return (email) =>
    createHmac('sha256', secret).update(`failed-logins\0${email}`, 'utf8').digest('base64url');
}

/** 429 with `Retry-After`: an account is slowed down after repeated failed logins. */
export class TooManyLoginAttemptsException extends TooManyRequestsException {
  readonly responseHeaders: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super('Too many failed logins for this account; try again later');
    this.responseHeaders = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/**
 * Per-account slowdown (README: Abuse limits), keyed by the normalized email whatever the IP, so that spreading a
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

  /** Throws {@link TooManyLoginAttemptsException} while the account must wait. */
  async assertMayTry(email: string): Promise<void> {
    const failures = await this.read(this.accountKey(email));
    const now = this.clock.now();
    if (failures && failures.waitUntil > now) {
      throw new TooManyLoginAttemptsException(Math.ceil((failures.waitUntil - now) / 1000));
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

/** The in-process store: a bounded map (a flood of distinct emails drops the oldest records). */
export class InMemoryFailedLoginStore implements FailedLoginStore {
  private readonly records = new Map<string, FailureRecord>();

  get(accountKey: string): Promise<FailureRecord | undefined> {
    return Promise.resolve(this.records.get(accountKey));
  }

  set(accountKey: string, record: FailureRecord): Promise<void> {
    this.records.delete(accountKey);
    this.records.set(accountKey, record);
    if (this.records.size > MAX_ACCOUNTS) this.records.delete(this.records.keys().next().value!);
    return Promise.resolve();
  }

  delete(accountKey: string): Promise<void> {
    this.records.delete(accountKey);
    return Promise.resolve();
  }
}
