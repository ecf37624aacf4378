/** A record is forgotten after this long without a failure. */
export const FAILURE_MEMORY_MS = 60 * 60_000;

/** The failures of one account: how many, the last one's time and until when it must wait (epoch ms, 0: no wait). */
export interface FailureRecord {
  count: number;
  lastAt: number;
  waitUntil: number;
}

/**
 * Where failure records live: in process, or in Redis for several instances. Records are keyed by an account key
 * (`accountKeyHasher`), never by the address itself, so the store holds no personal data.
 */
export interface FailedLoginStore {
  get(accountKey: string): Promise<FailureRecord | undefined>;
  /** Keeps `record` at least until `lastAt` + {@link FAILURE_MEMORY_MS}. */
  set(accountKey: string, record: FailureRecord): Promise<void>;
  delete(accountKey: string): Promise<void>;
}
