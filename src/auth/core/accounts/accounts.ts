import type { AuthDeps } from '../sessions/auth.deps';
import type { AuthUser, ClientInfo, PublicUser } from '../model/auth.types';
import { AuthError } from '../errors/auth-error';
import { errorMessage } from '../logging/log-line';
import { passwordPolicyViolation } from '../passwords/password-policy';
import type { SessionRevoker } from '../sessions/session-revoker';
import type { CurrentPasswordCheck } from './current-password-check';
import type { UserSessions } from '../sessions/user-sessions';
import { EmailTakenError, normalizeEmail, type UserRecord } from '../model/user-store.port';

/** Accounts and their passwords: registration, the credentials of a login, a password change. */
export class Accounts {
  constructor(
    private readonly deps: Pick<
      AuthDeps,
      'users' | 'sessions' | 'clock' | 'passwords' | 'events' | 'failedLogins' | 'logger'
    >,
    private readonly revoker: SessionRevoker,
    private readonly userSessions: UserSessions,
    private readonly currentPassword: CurrentPasswordCheck,
  ) {}

  /** See AuthService.register. */
  async register(email: string, password: string, roles: string[]): Promise<UserRecord> {
    const { users, passwords, clock, events } = this.deps;
    assertPasswordPolicy('password', password);
    const normalizedEmail = normalizeEmail(email);
    // Checked first to spare a bcrypt hash; the store's unique index still decides a race.
    if (await users.findByEmail(normalizedEmail)) throw emailTaken();
    const passwordHash = await passwords.hash(password);
    try {
      const user = await users.create({
        email: normalizedEmail,
        passwordHash,
        roles: [...roles],
        createdAt: new Date(clock.now()),
      });
      events.emit({ type: 'user.registered', userId: user.id, email: user.email });
      return user;
    } catch (error) {
      if (error instanceof EmailTakenError) throw emailTaken();
      throw error;
    }
  }

  /**
   * The user whose credentials these are. Unknown email and wrong password fail alike, in time too.
   * @throws AuthError `INVALID_CREDENTIALS` on bad credentials (counted by FailedLogins, which may throw
   * `RATE_LIMITED` first); `ACCOUNT_DISABLED` when they are right but the user is disabled.
   */
  async verifyCredentials(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<UserRecord> {
    const { users, passwords, events, failedLogins } = this.deps;
    const normalizedEmail = normalizeEmail(email);
    await failedLogins.assertMayTry(normalizedEmail);
    // No stored email holds a NUL (registration refuses it), and PostgreSQL would fail on one.
    const user = email.includes('\0') ? null : await users.findByEmail(normalizedEmail);
    if (!(await passwords.matches(password, user?.passwordHash)) || !user) {
      await failedLogins.recordFailure(normalizedEmail);
      events.emit({ type: 'login.failed', email: normalizedEmail, userId: user?.id, ...client });
      throw new AuthError('INVALID_CREDENTIALS');
    }
    await failedLogins.recordSuccess(normalizedEmail);
    await this.upgradeHash(user, password);
    // Said only to whoever knows the password: to anyone else a disabled account fails like any other.
    if (user.disabled) throw new AuthError('ACCOUNT_DISABLED');
    return user;
  }

  /** See AuthService.changePassword. */
  async changePassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const { users, sessions, passwords, clock, events } = this.deps;
    const user = await this.currentUser(caller);
    await this.userSessions.assertOwnSession(caller);
    await this.currentPassword.assert(user, currentPassword);
    assertPasswordPolicy('newPassword', newPassword);
    const passwordHash = await passwords.hash(newPassword);
    const now = clock.now();
    // Sessions first: if the hash update then fails, the user is signed out elsewhere, never left exposed.
    const revoked = await sessions.revokeUserSessions(
      user.id,
      'password_change',
      now,
      caller.sessionId,
    );
    await this.revoker.revoke(user.id, revoked, 'password_change', now, true);
    await users.updatePasswordHash(user.id, passwordHash);
    await users.bumpCredentialEpoch(user.id);
    events.emit({ type: 'password.changed', userId: user.id });
  }

  /**
   * Replaces a hash of an older scheme (plain bcrypt, which cut passwords at 72 bytes) with one of the current
   * scheme, now that the password is known to be right: the only moment it can be. A failed write leaves the old
   * hash, which keeps verifying, and the login goes on: the next one tries again.
   */
  private async upgradeHash(user: UserRecord, password: string): Promise<void> {
    const { users, passwords, logger } = this.deps;
    if (!passwords.needsRehash(user.passwordHash)) return;
    try {
      await users.updatePasswordHash(user.id, await passwords.hash(password));
    } catch (error) {
      logger.warn(`Password hash of user ${user.id} not upgraded: ${errorMessage(error)}`);
    }
  }

  findUser(id: string): Promise<UserRecord | null> {
    return this.deps.users.findById(id);
  }

  /** The caller's user. @throws AuthError `TOKEN_INVALID` when the user is gone. */
  async currentUser(caller: AuthUser): Promise<UserRecord> {
    const user = await this.deps.users.findById(caller.id);
    if (!user) throw new AuthError('TOKEN_INVALID', 'its user is gone');
    return user;
  }
}

/** A user as the API shows it: never the password hash. */
export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerified === true,
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
  };
}

function assertPasswordPolicy(field: string, password: string): void {
  const violation = passwordPolicyViolation(password);
  if (violation !== undefined) {
    throw new AuthError('VALIDATION_FAILED', { message: [`${field} ${violation}`] });
  }
}

function emailTaken(): AuthError {
  return new AuthError('EMAIL_TAKEN');
}
