import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './auth.options';
import type {
  AuthUser,
  ClientInfo,
  LogoutScope,
  PublicUser,
  SessionView,
  TokenPair,
} from './auth.types';
import { CLOCK, type Clock } from './clock/clock';
import { AuthEvents } from './events/auth-events';
import { FailedLogins } from './throttling/failed-logins';
import { InvalidTokenException } from './errors/bearer-challenge.exception';
import { passwordPolicyViolation } from './passwords/password-policy';
import { PasswordService } from './passwords/password.service';
import {
  REVOCATION_LIST,
  type RevocationList,
  revocationWindowMs,
} from './revocation/revocation-list.port';
import { clientFingerprint, MAX_USER_AGENT_LENGTH } from './sessions/client-fingerprint';
import { isWithinReuseGrace } from './sessions/reuse-grace';
import {
  type NewRefreshToken,
  type RefreshTokenRecord,
  type RevocationReason,
  SESSION_STORE,
  type SessionRecord,
  type SessionStore,
} from './sessions/session-store.port';
import type { RefreshTokenClaims } from './tokens/token.types';
import { TokenService } from './tokens/token.service';
import {
  EmailTakenError,
  MAX_USER_ID_LENGTH,
  normalizeEmail,
  USER_STORE,
  type UserRecord,
  type UserStore,
} from './users/user-store.port';
import { LogLine } from './logging/log-line';

const DEFAULT_ROLES = ['user'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registration, login, refresh rotation, logout, sessions and password change: orchestration of the ports. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly events: AuthEvents,
    private readonly failedLogins: FailedLogins,
  ) {}

  async register(email: string, password: string, roles = DEFAULT_ROLES): Promise<PublicUser> {
    assertPasswordPolicy('password', password);
    const normalizedEmail = normalizeEmail(email);
    // Checked first to spare a bcrypt hash; the store's unique index still decides a race.
    if (await this.users.findByEmail(normalizedEmail)) throw emailTaken();
    const passwordHash = await this.passwords.hash(password);
    try {
      const user = await this.users.create({
        email: normalizedEmail,
        passwordHash,
        roles: [...roles],
        createdAt: new Date(this.clock.now()),
      });
      this.events.emit({ type: 'user.registered', userId: user.id, email: user.email });
      return toPublicUser(user);
    } catch (error) {
      if (error instanceof EmailTakenError) throw emailTaken();
      throw error;
    }
  }

  /** Checks the credentials and starts a session. Unknown email and wrong password fail alike, in time too. */
  async login(email: string, password: string, client: ClientInfo): Promise<TokenPair> {
    const normalizedEmail = normalizeEmail(email);
    await this.failedLogins.assertMayTry(normalizedEmail);
    // No stored email holds a NUL (registration refuses it), and PostgreSQL would fail on one.
    const user = email.includes('\0') ? null : await this.users.findByEmail(normalizedEmail);
    if (!(await this.passwords.matches(password, user?.passwordHash)) || !user) {
      await this.failedLogins.recordFailure(normalizedEmail);
      this.events.emit({
        type: 'login.failed',
        email: normalizedEmail,
        userId: user?.id,
        ...client,
      });
      throw new UnauthorizedException('Invalid credentials');
    }
    await this.failedLogins.recordSuccess(normalizedEmail);
    return this.openSession(user, client);
  }

  /**
   * Signs a known user in without a password: for hosts that authenticate by other means (an OAuth callback, a
   * magic link) and for tests that need a signed-in user without paying bcrypt's cost or going through HTTP.
   */
  async startSession(userId: string, client: ClientInfo = {}): Promise<TokenPair> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('User not found');
    return this.openSession(user, client);
  }

  private async openSession(user: UserRecord, client: ClientInfo): Promise<TokenPair> {
    if (user.id.length > MAX_USER_ID_LENGTH) {
      // The host's user store made an id the session store cannot keep: refused here, not as a database error.
      this.logger.warn(
        new LogLine(`Login refused: the user store's id is over ${MAX_USER_ID_LENGTH} characters`, {
          idLength: user.id.length,
        }),
      );
      throw new ForbiddenException(
        `Account cannot sign in: its user id is over ${MAX_USER_ID_LENGTH} characters`,
      );
    }
    const now = this.clock.now();
    const session: Omit<SessionRecord, 'revokedAt' | 'lastIp' | 'lastUserAgent'> = {
      id: randomUUID(),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      absoluteExpiresAt: now + this.options.sessionMaxAge * 1000,
      idleExpiresAt: 0,
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      ip: client.ip ?? null,
    };
    const firstToken = this.newRefreshToken(now, session.absoluteExpiresAt);
    session.idleExpiresAt = firstToken.expiresAt;
    await this.sessions.createSession(session, firstToken);
    // The cap on live sessions: the least recently used beyond it are retired, as if logged out.
    const retired = await this.sessions.retireExcessSessions(
      user.id,
      this.options.sessionsPerUser,
      now,
    );
    await this.revoke(user.id, retired, 'session_limit', now, true);
    this.events.emit({
      type: 'login.succeeded',
      userId: user.id,
      sessionId: session.id,
      ...client,
    });
    return this.issueTokens(user, session, firstToken, now);
  }

  /**
   * Rotates a verified refresh token: spends it and issues its successor. A token spent moments ago (within the
   * grace) gets the same successor again; any other reuse is taken as theft and revokes the whole session.
   */
  async refresh(claims: RefreshTokenClaims, client: ClientInfo): Promise<TokenPair> {
    const now = this.clock.now();
    const session = await this.sessions.findSession(claims.sid);
    const presented = await this.sessions.findRefreshToken(claims.jti);
    if (!session || !isLive(session, now) || session.userId !== claims.sub)
      throw new InvalidTokenException();
    if (!presented || presented.sessionId !== session.id) throw new InvalidTokenException();
    const user = await this.users.findById(session.userId);
    if (!user) {
      await this.revoke(session.userId, [session.id], 'user_gone', now);
      throw new InvalidTokenException();
    }

    if (presented.spentAt === null) {
      const successor = this.newRefreshToken(now, session.absoluteExpiresAt);
      const result = await this.sessions.rotate(session.id, presented.id, successor, now, {
        fingerprint: clientFingerprint(client),
        ip: client.ip ?? null,
        userAgent: client.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      });
      if (result.won) return this.issueTokens(user, session, successor, now);
      return this.replay(user, session, result.spent, now, client);
    }
    return this.replay(user, session, presented, now, client);
  }

  /**
   * Revokes the caller's session, all of the user's sessions, or all but the caller's. Logging out twice is not an
   * error; but a token of a revoked session does nothing, whatever the scope: it must not sign anyone else out.
   */
  async logout(caller: AuthUser, scope: LogoutScope = 'local'): Promise<void> {
    if (caller.sessionRevoked) return;
    await this.assertOwnSession(caller);
    const now = this.clock.now();
    if (scope === 'local') {
      await this.revoke(caller.id, [caller.sessionId], 'logout', now);
      return;
    }
    const except = scope === 'others' ? caller.sessionId : undefined;
    const revoked = await this.sessions.revokeUserSessions(caller.id, 'logout', now, except);
    await this.revoke(caller.id, revoked, 'logout', now, true);
  }

  async me(caller: AuthUser): Promise<PublicUser> {
    return toPublicUser(await this.currentUser(caller));
  }

  async listSessions(caller: AuthUser): Promise<SessionView[]> {
    const sessions = await this.sessions.listLiveSessions(
      caller.id,
      this.clock.now(),
      this.options.sessionsPerUser,
    );
    return sessions.map((session) => toSessionView(session, caller.sessionId));
  }

  /** Revokes one of the caller's live sessions; 404 for anything else, so ids of others' sessions reveal nothing. */
  async revokeSession(caller: AuthUser, sessionId: string): Promise<void> {
    const now = this.clock.now();
    // Not even looked up unless it can be an id: PostgreSQL would fail on a NUL or an overlong string.
    const session = UUID.test(sessionId) ? await this.sessions.findSession(sessionId) : null;
    if (!session || session.userId !== caller.id || !isLive(session, now)) {
      throw new NotFoundException('Session not found');
    }
    await this.revoke(caller.id, [session.id], 'logout', now);
  }

  /** Changes the password and signs out every other session (the reason one changes a password). */
  async changePassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.currentUser(caller);
    await this.assertOwnSession(caller);
    // 403, not 401: a client that refreshes on 401 would loop on a mistyped password.
    if (!(await this.passwords.matches(currentPassword, user.passwordHash))) {
      throw new ForbiddenException('Current password is incorrect');
    }
    assertPasswordPolicy('newPassword', newPassword);
    const passwordHash = await this.passwords.hash(newPassword);
    const now = this.clock.now();
    // Sessions first: if the hash update then fails, the user is signed out elsewhere, never left exposed.
    const revoked = await this.sessions.revokeUserSessions(
      user.id,
      'password_change',
      now,
      caller.sessionId,
    );
    await this.revoke(user.id, revoked, 'password_change', now, true);
    await this.users.updatePasswordHash(user.id, passwordHash);
    this.events.emit({ type: 'password.changed', userId: user.id });
  }

  /**
   * A spent token presented again: the same successor within the grace to the client that spent it (its racing
   * tabs), otherwise theft, whoever presents it.
   */
  private async replay(
    user: UserRecord,
    session: SessionRecord,
    spent: RefreshTokenRecord,
    now: number,
    client: ClientInfo,
  ): Promise<TokenPair> {
    const successor = spent.successorId
      ? await this.sessions.findRefreshToken(spent.successorId)
      : null;
    const sameClient = spent.spentBy !== null && spent.spentBy === clientFingerprint(client);
    if (
      successor &&
      sameClient &&
      isWithinReuseGrace(spent, successor, now, this.options.refreshReuseGrace)
    ) {
      return this.issueTokens(user, session, successor, now);
    }
    await this.revoke(user.id, [session.id], 'refresh_token_reuse', now);
    this.logger.warn(
      new LogLine('Refresh token reuse detected: session revoked', {
        sessionId: session.id,
        userId: user.id,
        ip: client.ip,
      }),
    );
    this.events.emit({
      type: 'refresh_token.reused',
      userId: user.id,
      sessionId: session.id,
      ...client,
    });
    throw new InvalidTokenException();
  }

  /**
   * Refuses a token whose `sid` is not a session of its `sub`. Only a holder of the signing key can make one, but
   * an operation on sessions must never act on another user's session because a token says so (defence in depth):
   * checked where a session is written to, not by the guard, which stays free of database queries.
   */
  private async assertOwnSession(caller: AuthUser): Promise<void> {
    // Not even looked up unless it can be an id: PostgreSQL would fail on a NUL or an overlong string.
    const session = UUID.test(caller.sessionId)
      ? await this.sessions.findSession(caller.sessionId)
      : null;
    if (session?.userId !== caller.id) throw new InvalidTokenException();
  }

  private async currentUser(caller: AuthUser): Promise<UserRecord> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new InvalidTokenException();
    return user;
  }

  private newRefreshToken(now: number, absoluteExpiresAt: number): NewRefreshToken {
    // Whole seconds, as in the token's claims, so the stored times re-issue the same token byte for byte.
    const issuedAt = floorToSecond(now);
    const expiresAt = Math.min(
      issuedAt + this.options.jwtRefreshExpiration * 1000,
      floorToSecond(absoluteExpiresAt),
    );
    return { id: randomUUID(), issuedAt, expiresAt };
  }

  private issueTokens(
    user: UserRecord,
    session: Pick<SessionRecord, 'id' | 'absoluteExpiresAt'>,
    refresh: NewRefreshToken,
    requestTime: number,
  ): TokenPair {
    // The time the request started, as for the refresh token's times: a second boundary passing during the
    // database work must not shift one lifetime against the other.
    const now = Math.floor(requestTime / 1000);
    const common = { sub: user.id, sid: session.id };
    const access = this.tokens.signAccessToken({
      ...common,
      jti: randomUUID(),
      iat: now,
      // No access token outlives its session.
      exp: Math.min(now + this.options.jwtExpiration, Math.floor(session.absoluteExpiresAt / 1000)),
      email: user.email,
      roles: user.roles,
    });
    const refreshToken = this.tokens.signRefreshToken({
      ...common,
      jti: refresh.id,
      iat: refresh.issuedAt / 1000,
      exp: refresh.expiresAt / 1000,
    });
    return {
      accessToken: access.token,
      refreshToken: refreshToken.token,
      tokenType: 'Bearer',
      expiresIn: Math.max(0, access.expiresAt - now),
      refreshExpiresIn: Math.max(0, refreshToken.expiresAt - now),
    };
  }

  /**
   * Revokes in the store (unless already done by the caller), then in the revocation list, so the session's access
   * tokens are refused from the next request on. A list entry is needed only while such a token can be unexpired.
   */
  private async revoke(
    userId: string,
    sessionIds: string[],
    reason: RevocationReason,
    now: number,
    alreadyStored = false,
  ): Promise<void> {
    const until = now + revocationWindowMs(this.options.jwtExpiration);
    for (const sessionId of sessionIds) {
      const revokedNow =
        alreadyStored || (await this.sessions.revokeSession(sessionId, reason, now));
      await this.revocations.revoke(sessionId, until);
      if (revokedNow) this.events.emit({ type: 'session.revoked', userId, sessionId, reason });
    }
  }
}

function isLive(session: SessionRecord, now: number): boolean {
  return (
    session.revokedAt === null && session.idleExpiresAt > now && session.absoluteExpiresAt > now
  );
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function assertPasswordPolicy(field: string, password: string): void {
  const violation = passwordPolicyViolation(password);
  if (violation !== undefined) throw new BadRequestException([`${field} ${violation}`]);
}

function emailTaken(): ConflictException {
  return new ConflictException('Email already registered');
}

function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
  };
}

function toSessionView(session: SessionRecord, currentSessionId: string): SessionView {
  return {
    id: session.id,
    createdAt: new Date(session.createdAt).toISOString(),
    lastUsedAt: new Date(session.lastUsedAt).toISOString(),
    expiresAt: new Date(Math.min(session.idleExpiresAt, session.absoluteExpiresAt)).toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    lastUserAgent: session.lastUserAgent,
    lastIp: session.lastIp,
    current: session.id === currentSessionId,
  };
}
