import type { RevokedSessionRow } from './session-store.port';

/**
 * The sessions whose access tokens must be refused before they expire. Asked on every authenticated request, so
 * `isRevoked` is synchronous: an implementation keeps the set in process (and may keep it current from elsewhere,
 * e.g. Redis pub/sub). The database remains the source of truth; this is its fast mirror.
 *
 * An entry refuses either every access token of a session (a revocation: logout, theft, disabling...) or only those
 * issued up to a second (a cut-off: the user's roles changed, and the session lives on with tokens that carry the
 * new ones; see {@link RevokedSession.issuedUpTo}).
 */
export interface RevocationList {
  /**
   * Whether an access token of the session, issued at `issuedAt` (its `iat`, seconds since the epoch), is refused.
   * Without `issuedAt`: whether the session is revoked outright (a cut-off alone does not count).
   */
  isRevoked(sessionId: string, issuedAt?: number): boolean;
  /**
   * Records a revocation until `until` (ms since the epoch): past that, every access token of the session has
   * expired by itself, and the entry can go.
   */
  revoke(sessionId: string, until: number): Promise<void>;
  /**
   * Records many revocations at once, as {@link revoke} each (times in ms since the epoch): the boot's reload from
   * the database, a global logout. An implementation that shares the list publishes the batch in one message.
   *
   * Optional: without it, {@link revokeAll} calls `revoke` for each entry in turn.
   */
  revokeMany?(entries: readonly RevokedSession[]): Promise<void>;
  /**
   * Calls `listener` with the session ids of each revocation this list takes in, wherever it comes from (this
   * instance, another one through Redis, the database poller, the boot's reload), so that open connections of those
   * sessions can be closed. Returns a function that unsubscribes it.
   *
   * Optional: a host's list without it leaves connections open until their access token expires.
   */
  onRevoked?(listener: RevocationListener): () => void;
}

/** Told the ids of sessions just revoked (see {@link RevocationList.onRevoked}); must not throw. */
export type RevocationListener = (sessionIds: readonly string[]) => void;

/** One entry of a batch: the session, and until when (ms since the epoch) its access tokens must be refused. */
export interface RevokedSession {
  sessionId: string;
  until: number;
  /**
   * A cut-off rather than a revocation: only the access tokens issued at or before this second (`iat`, seconds since
   * the epoch) are refused. Absent: all of them. Entries of one session combine: the widest wins.
   */
  issuedUpTo?: number;
}

/** `issuedUpTo` of an entry that refuses every token of its session. */
export const EVERY_TOKEN = Number.POSITIVE_INFINITY;

/** Records `entries` on `list`, in one batch where the list can take one. */
export async function revokeAll(list: RevocationList, entries: readonly RevokedSession[]) {
  if (entries.length === 0) return;
  if (list.revokeMany) return list.revokeMany(entries);
  for (const { sessionId, until } of entries) await list.revoke(sessionId, until);
}

export const REVOCATION_LIST = Symbol('RevocationList');

/**
 * The list entries of the store's rows (see SessionStore.listRevokedSince): each matters until `windowMs` (the
 * access-token lifetime, see {@link revocationWindowMs}) after it was made.
 */
export function revocationEntries(
  rows: readonly RevokedSessionRow[],
  windowMs: number,
): RevokedSession[] {
  return rows.map(({ id, revokedAt, issuedUpTo }) => ({
    sessionId: id,
    until: revokedAt + windowMs,
    ...(issuedUpTo === undefined ? {} : { issuedUpTo }),
  }));
}

/**
 * How long a revocation must be remembered: no access token outlives its issue time plus its lifetime, and every
 * access token of a revoked session was issued before the revocation. One second more covers rounding to seconds.
 */
export function revocationWindowMs(accessTokenLifetimeSeconds: number): number {
  return (accessTokenLifetimeSeconds + 1) * 1000;
}
