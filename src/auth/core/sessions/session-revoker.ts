import type { AuthDeps } from './auth.deps';
import { revokeAll, revocationWindowMs } from '../model/revocation-list.port';
import type { RevocationReason } from '../model/session-store.port';

/**
 * Revokes sessions in the store (unless already done by the caller), then in the revocation list, so the sessions'
 * access tokens are refused from the next request on. A list entry is needed only while such a token can be
 * unexpired; the entries of one call go to the list in one batch.
 */
export class SessionRevoker {
  constructor(
    private readonly deps: Pick<AuthDeps, 'options' | 'sessions' | 'revocations' | 'events'>,
  ) {}

  async revoke(
    userId: string,
    sessionIds: string[],
    reason: RevocationReason,
    now: number,
    alreadyStored = false,
  ): Promise<void> {
    const { options, sessions, revocations, events } = this.deps;
    const revokedNow: string[] = [];
    for (const sessionId of sessionIds) {
      if (alreadyStored || (await sessions.revokeSession(sessionId, reason, now))) {
        revokedNow.push(sessionId);
      }
    }
    const until = now + revocationWindowMs(options.jwtExpiration);
    await revokeAll(
      revocations,
      sessionIds.map((sessionId) => ({ sessionId, until })),
    );
    for (const sessionId of revokedNow) {
      events.emit({ type: 'session.revoked', userId, sessionId, reason });
    }
  }
}
