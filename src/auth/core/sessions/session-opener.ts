import { randomUUID } from 'node:crypto';
import { AuthError } from '../errors/auth-error';
import type { AuthDeps } from './auth.deps';
import type { ClientInfo, SessionAuthentication, TokenPair } from '../model/auth.types';
import { LogLine } from '../logging/log-line';
import { MAX_USER_ID_LENGTH, type UserRecord } from '../model/user-store.port';
import { MAX_USER_AGENT_LENGTH } from './client-fingerprint';
import type { SessionRevoker } from './session-revoker';
import type { SessionRecord } from '../model/session-store.port';
import type { TokenPairIssuer } from './token-pair.issuer';

/** A login by password alone: one factor (RFC 8176 `pwd`, NIST SP 800-63B AAL1). */
export const PASSWORD_AUTHENTICATION: Omit<SessionAuthentication, 'time'> = Object.freeze({
  methods: Object.freeze(['pwd']),
  level: 'aal1',
});

/** Starts a session of a user who has proved who they are, within the cap on live sessions per user. */
export class SessionOpener {
  constructor(
    private readonly deps: Pick<AuthDeps, 'options' | 'sessions' | 'clock' | 'events' | 'logger'>,
    private readonly issuer: TokenPairIssuer,
    private readonly revoker: SessionRevoker,
  ) {}

  /**
   * Stores a new session with its first refresh token, retires the least recently used sessions beyond the cap,
   * and returns the session's first token pair. `authentication` says how the user proved who they are (its `time` is
   * now whatever it says): by default a password, one factor.
   * @throws AuthError `ACCOUNT_CANNOT_SIGN_IN` when the user store's id is over MAX_USER_ID_LENGTH characters.
   */
  async open(
    user: UserRecord,
    client: ClientInfo,
    authentication: Omit<SessionAuthentication, 'time'> = PASSWORD_AUTHENTICATION,
  ): Promise<TokenPair> {
    const { options, sessions, clock, events, logger } = this.deps;
    if (user.id.length > MAX_USER_ID_LENGTH) {
      // The host's user store made an id the session store cannot keep: refused here, not as a database error.
      logger.warn(
        new LogLine(`Login refused: the user store's id is over ${MAX_USER_ID_LENGTH} characters`, {
          idLength: user.id.length,
        }),
      );
      throw new AuthError('ACCOUNT_CANNOT_SIGN_IN', {
        message: `Account cannot sign in: its user id is over ${MAX_USER_ID_LENGTH} characters`,
      });
    }
    const now = clock.now();
    const session: Omit<SessionRecord, 'revokedAt' | 'lastIp' | 'lastUserAgent'> = {
      id: randomUUID(),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      absoluteExpiresAt: now + options.sessionMaxAge * 1000,
      idleExpiresAt: 0,
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      ip: client.ip ?? null,
      authTime: now,
      amr: [...authentication.methods],
      acr: authentication.level,
    };
    const firstToken = this.issuer.newRefreshToken(now, session.absoluteExpiresAt, 0);
    session.idleExpiresAt = firstToken.expiresAt;
    await sessions.createSession(session, firstToken);
    // The cap on live sessions: the least recently used beyond it are retired, as if logged out.
    const retired = await sessions.retireExcessSessions(user.id, options.sessionsPerUser, now);
    await this.revoker.revoke(user.id, retired, 'session_limit', now, true);
    events.emit({ type: 'login.succeeded', userId: user.id, sessionId: session.id, ...client });
    return this.issuer.issue(user, session, firstToken, now);
  }
}
