/**
 * The sessions whose access tokens must be refused before they expire. Asked on every authenticated request, so
 * `isRevoked` is synchronous: an implementation keeps the set in process (and may keep it current from elsewhere,
 * e.g. Redis pub/sub). The database remains the source of truth; this is its fast mirror.
 */
export interface RevocationList {
  isRevoked(sessionId: string): boolean;
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
}

/** Records `entries` on `list`, in one batch where the list can take one. */
export async function revokeAll(list: RevocationList, entries: readonly RevokedSession[]) {
  if (entries.length === 0) return;
  if (list.revokeMany) return list.revokeMany(entries);
  for (const { sessionId, until } of entries) await list.revoke(sessionId, until);
}

export const REVOCATION_LIST = Symbol('RevocationList');

/**
 * How long a revocation must be remembered: no access token outlives its issue time plus its lifetime, and every
 * access token of a revoked session was issued before the revocation. One second more covers rounding to seconds.
 */
export function revocationWindowMs(accessTokenLifetimeSeconds: number): number {
  return (accessTokenLifetimeSeconds + 1) * 1000;
}
