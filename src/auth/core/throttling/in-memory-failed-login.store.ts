import type { FailedLoginStore, FailureRecord } from '../model/failed-login-store.port';

const MAX_ACCOUNTS = 100_000;

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
