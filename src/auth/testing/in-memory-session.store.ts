import { Injectable } from '@nestjs/common';
import type {
  NewRefreshToken,
  RefreshContext,
  RefreshTokenRecord,
  RevocationReason,
  RevokedSessionRow,
  RotationResult,
  SessionRecord,
  SessionStore,
  Spender,
} from '../core/model/session-store.port';
import { cutRow } from '../core/model/session-store.port';
import { io } from './io';

/**
 * A session store in process, for tests (of a host app, or of the module with no database): the shape of a
 * host's own store too. Not for production: nothing survives a restart and instances share nothing. It honours the port exactly, the atomic {@link rotate} included.
 * Each call answers on a later turn of the event loop, as a store doing I/O does, so that requests racing through
 * the module really interleave here; but each call's check-and-write runs in one synchronous step, so the
 * conditional "spend only if unspent" of `rotate` is decided atomically: of many racing calls for one token, exactly
 * one wins. Records are copied in and out.
 */
@Injectable()
export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  /** Why each revoked session was revoked, as a store records it (nothing here reads it back). */
  private readonly reasons = new Map<string, RevocationReason>();
  private readonly tokens = new Map<string, RefreshTokenRecord>();
  /** When each session's access tokens were last cut off (its user's roles changed). */
  private readonly cutAt = new Map<string, number>();

  createSession(
    session: Omit<SessionRecord, 'revokedAt' | 'lastIp' | 'lastUserAgent'>,
    firstToken: NewRefreshToken,
  ): Promise<void> {
    return io(() => {
      if (this.sessions.has(session.id) || this.tokens.has(firstToken.id)) {
        throw new Error(`Duplicate session ${session.id} or refresh token ${firstToken.id}`);
      }
      this.sessions.set(session.id, {
        ...session,
        amr: [...session.amr],
        lastIp: session.ip,
        lastUserAgent: session.userAgent,
        revokedAt: null,
      });
      this.tokens.set(firstToken.id, newToken(session.id, firstToken));
    });
  }

  findSession(id: string): Promise<SessionRecord | null> {
    return io(() => {
      const session = this.sessions.get(id);
      return session ? { ...session, amr: [...session.amr] } : null;
    });
  }

  findRefreshToken(id: string): Promise<RefreshTokenRecord | null> {
    return io(() => {
      const token = this.tokens.get(id);
      return token ? { ...token } : null;
    });
  }

  findRefreshContext(sessionId: string, tokenId: string): Promise<RefreshContext | null> {
    return io(() => {
      const session = this.sessions.get(sessionId);
      const presented = this.tokens.get(tokenId);
      if (!session || presented?.sessionId !== sessionId) return null;
      return {
        session: { ...session },
        presented: { ...presented },
        successor: this.successorOf(presented),
      };
    });
  }

  rotate(
    sessionId: string,
    spentId: string,
    successor: NewRefreshToken,
    now: number,
    spender: Spender,
  ): Promise<RotationResult> {
    return io((): RotationResult => {
      const spent = this.tokens.get(spentId);
      if (!spent) throw new Error(`Unknown refresh token ${spentId}`);
      // The one conditional write that decides a race (`WHERE id = ? AND session_id = ? AND spent_at IS NULL`).
      if (spent.sessionId !== sessionId || spent.spentAt !== null) {
        return { won: false, spent: { ...spent }, successor: this.successorOf(spent) };
      }
      spent.spentAt = now;
      spent.successorId = successor.id;
      spent.spentBy = spender.fingerprint;
      this.tokens.set(successor.id, newToken(sessionId, successor));
      const session = this.sessions.get(sessionId);
      if (session) {
        session.lastUsedAt = now;
        session.idleExpiresAt = successor.expiresAt;
        session.lastIp = spender.ip;
        session.lastUserAgent = spender.userAgent;
      }
      return { won: true };
    });
  }

  reauthenticate(
    sessionId: string,
    authentication: Pick<SessionRecord, 'authTime' | 'amr' | 'acr'>,
    now: number,
  ): Promise<RefreshTokenRecord | null> {
    return io(() => {
      const session = this.sessions.get(sessionId);
      const live =
        session !== undefined &&
        session.revokedAt === null &&
        session.idleExpiresAt > now &&
        session.absoluteExpiresAt > now;
      if (!live) return null;
      session.authTime = authentication.authTime;
      session.amr = [...authentication.amr];
      session.acr = authentication.acr;
      const current = [...this.tokens.values()].find(
        (token) => token.sessionId === sessionId && token.spentAt === null,
      );
      return current ? { ...current } : null;
    });
  }

  revokeSession(id: string, reason: RevocationReason, now: number): Promise<boolean> {
    return io(() => {
      const session = this.sessions.get(id);
      if (!session || session.revokedAt !== null) return false;
      this.markRevoked(session, reason, now);
      return true;
    });
  }

  revokeUserSessions(
    userId: string,
    reason: RevocationReason,
    now: number,
    exceptSessionId?: string,
  ): Promise<string[]> {
    return io(() => {
      const revoked: string[] = [];
      for (const session of this.sessions.values()) {
        const live = session.revokedAt === null && session.absoluteExpiresAt > now;
        if (session.userId !== userId || session.id === exceptSessionId || !live) continue;
        this.markRevoked(session, reason, now);
        revoked.push(session.id);
      }
      return revoked;
    });
  }

  retireExcessSessions(userId: string, keep: number, now: number): Promise<string[]> {
    return io(() => {
      const retired = this.live(userId, now)
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt || b.createdAt - a.createdAt)
        .slice(keep);
      for (const session of retired) this.markRevoked(session, 'session_limit', now);
      return retired.map((session) => session.id);
    });
  }

  listLiveSessions(userId: string, now: number, limit: number): Promise<SessionRecord[]> {
    return io(() =>
      this.live(userId, now)
        // Newest first; of sessions created in the same millisecond, the one created last first.
        .reverse()
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map((session) => ({ ...session })),
    );
  }

  private successorOf(token: RefreshTokenRecord): RefreshTokenRecord | null {
    const successor = token.successorId === null ? undefined : this.tokens.get(token.successorId);
    return successor ? { ...successor } : null;
  }

  private markRevoked(session: SessionRecord, reason: RevocationReason, now: number): void {
    session.revokedAt = now;
    this.reasons.set(session.id, reason);
  }

  private live(userId: string, now: number): SessionRecord[] {
    return [...this.sessions.values()].filter(
      (session) =>
        session.userId === userId &&
        session.revokedAt === null &&
        session.idleExpiresAt > now &&
        session.absoluteExpiresAt > now,
    );
  }

  listRevokedSince(since: number): Promise<RevokedSessionRow[]> {
    return io(() => [
      ...[...this.sessions.values()].flatMap(({ id, revokedAt }) =>
        revokedAt !== null && revokedAt >= since ? [{ id, revokedAt }] : [],
      ),
      ...[...this.cutAt].flatMap(([id, at]) => (at >= since ? [cutRow(id, at)] : [])),
    ]);
  }

  cutAccessTokens(userId: string, now: number): Promise<string[]> {
    return io(() => {
      const cut: string[] = [];
      for (const session of this.sessions.values()) {
        // As revokeUserSessions picks them: idle sessions too, their access tokens may be unexpired.
        if (session.userId !== userId || session.revokedAt !== null) continue;
        if (session.absoluteExpiresAt <= now) continue;
        this.cutAt.set(session.id, now);
        cut.push(session.id);
      }
      return cut;
    });
  }

  pruneExpired(before: number, limit: number): Promise<number> {
    return io(() => {
      const dead = [...this.sessions.values()]
        .filter(
          (session) =>
            (session.revokedAt !== null && session.revokedAt < before) ||
            session.idleExpiresAt < before ||
            session.absoluteExpiresAt < before,
        )
        .slice(0, limit)
        .map((session) => session.id);
      const gone = new Set(dead);
      for (const id of gone) {
        this.sessions.delete(id);
        this.reasons.delete(id);
        this.cutAt.delete(id);
      }
      // The refresh tokens go with their session, as by the TypeORM store's ON DELETE CASCADE.
      for (const token of this.tokens.values()) {
        if (gone.has(token.sessionId)) this.tokens.delete(token.id);
      }
      return gone.size;
    });
  }

  /** Not part of the port: what the host (here, its tests) can see of a session's chain of refresh tokens. */
  refreshTokensOf(sessionId: string): RefreshTokenRecord[] {
    return [...this.tokens.values()]
      .filter((token) => token.sessionId === sessionId)
      .map((token) => ({ ...token }));
  }
}

function newToken(sessionId: string, token: NewRefreshToken): RefreshTokenRecord {
  return { ...token, sessionId, spentAt: null, successorId: null, spentBy: null };
}
