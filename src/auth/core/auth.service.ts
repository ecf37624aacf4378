import { Inject, Injectable, Logger } from '@nestjs/common';
import { Accounts, toPublicUser } from './accounts/accounts';
import { CurrentPasswordCheck } from './accounts/current-password-check';
import { UserAdministration } from './accounts/user-administration';
import { managedUserOf, publicUserOf } from './accounts/user-views';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './options/auth.options';
import type {
  AuthUser,
  ClientInfo,
  LogoutScope,
  ManagedUser,
  PublicUser,
  SessionAuthentication,
  SessionView,
  TokenPair,
} from './model/auth.types';
import { CLOCK, type Clock } from './clock/clock';
import { HookRunner } from './hooks/hook-runner';
import type { SignInChallenge } from './hooks/hooks';
import { AuthError } from './errors/auth-error';
import { AuthEvents } from './events/auth-events';
import { PasswordService } from './passwords/password.service';
import { REVOCATION_LIST, type RevocationList } from './model/revocation-list.port';
import { RefreshRotation } from './sessions/refresh-rotation';
import { RefreshTokenLogout } from './sessions/refresh-token-logout';
import { SessionOpener } from './sessions/session-opener';
import { SessionReauthentication } from './sessions/session-reauthentication';
import { SessionRevoker } from './sessions/session-revoker';
import { SESSION_STORE, type SessionStore } from './model/session-store.port';
import { TokenPairIssuer } from './sessions/token-pair.issuer';
import { UserSessions } from './sessions/user-sessions';
import { FailedLogins } from './throttling/failed-logins';
import type { RefreshTokenClaims } from './model/token.types';
import { TokenService } from './tokens/token.service';
import { USER_STORE, type UserRecord, type UserStore } from './model/user-store.port';

const DEFAULT_ROLES = ['user'];
/** How a login verifies the identity (RFC 8176): a password. */
const PASSWORD_METHODS: readonly string[] = ['pwd'];

/**
 * Registration, login, refresh rotation, logout, sessions, password change and the account lifecycle by mail
 * (verification, reset, email change): the module's one entry point for
 * controllers and hosts. Each job is done by a part it builds from its injected ports (see AuthDeps).
 */
@Injectable()
export class AuthService {
  private readonly accounts: Accounts;
  private readonly opener: SessionOpener;
  private readonly rotation: RefreshRotation;
  private readonly userSessions: UserSessions;
  private readonly refreshTokenLogout: RefreshTokenLogout;
  private readonly administration: UserAdministration;
  private readonly users: UserStore;
  private readonly reauthentication: SessionReauthentication;

  constructor(
    @Inject(AUTH_OPTIONS) options: ResolvedAuthOptions,
    @Inject(USER_STORE) users: UserStore,
    @Inject(SESSION_STORE) sessions: SessionStore,
    @Inject(REVOCATION_LIST) revocations: RevocationList,
    @Inject(CLOCK) clock: Clock,
    passwords: PasswordService,
    tokens: TokenService,
    events: AuthEvents,
    failedLogins: FailedLogins,
    private readonly hooks: HookRunner,
  ) {
    const deps = {
      ...{ options, users, sessions, revocations, clock, passwords, tokens, events, failedLogins },
      logger: new Logger(AuthService.name),
    };
    const issuer = new TokenPairIssuer(deps, hooks);
    const revoker = new SessionRevoker(deps);
    this.userSessions = new UserSessions(deps, revoker);
    const currentPassword = new CurrentPasswordCheck(passwords, failedLogins);
    this.accounts = new Accounts(deps, revoker, this.userSessions, currentPassword);
    this.opener = new SessionOpener(deps, issuer, revoker);
    this.rotation = new RefreshRotation(deps, issuer, revoker);
    this.refreshTokenLogout = new RefreshTokenLogout(deps, revoker);
    this.administration = new UserAdministration(
      deps,
      revoker,
      currentPassword,
      (userId) => hooks.userDeleting(userId),
      (userId, reason) => hooks.signInsForgotten(userId, reason),
    );
    this.users = users;
    this.reauthentication = new SessionReauthentication(deps, issuer);
  }

  /**
   * Creates an account, with no HTTP involved (a host's first admin: `register(email, password, ['user',
   * 'admin'])`). `profile` is handed to the `userRegistered` hooks (the validated `profile` of `POST /register`).
   * @returns the user as the API shows it, with the fields of the `publicUserFields` hooks (typed `Fields`).
   * @throws AuthError `VALIDATION_FAILED` when the password breaks the policy; `EMAIL_TAKEN`.
   */
  async register<Fields extends object = object>(
    email: string,
    password: string,
    roles: readonly string[] = DEFAULT_ROLES,
    profile?: object,
  ): Promise<PublicUser & Fields> {
    const user = await this.accounts.register(email, password, [...roles]);
    await this.hooks.userRegistered(toPublicUser(user), profile);
    return (await publicUserOf(user, this.hooks)) as PublicUser & Fields;
  }

  /**
   * Checks the credentials and starts a session, unless a feature's `sessionOpening` hook asks for a challenge first
   * (a second factor): then that challenge, and no session yet. `deviceToken` is what the client holds from an
   * earlier sign-in (a remembered device), for the hooks to read. Unknown email and wrong password fail alike, in time
   * too; the features' `identityVerified` hooks may refuse after the password held.
   * @throws AuthError `INVALID_CREDENTIALS`, `RATE_LIMITED`; `ACCOUNT_DISABLED`; `ACCOUNT_CANNOT_SIGN_IN` when the
   * user's id is too long to store; what a hook throws (`EMAIL_NOT_VERIFIED` of the account-mail feature).
   */
  async login(
    email: string,
    password: string,
    client: ClientInfo,
    deviceToken?: string,
  ): Promise<TokenPair | SignInChallenge> {
    const user = await this.accounts.verifyCredentials(email, password, client);
    const attempt = { client, methods: PASSWORD_METHODS, deviceToken };
    await this.hooks.identityVerified(user, attempt);
    const opening = await this.hooks.sessionOpening(user, attempt);
    if (opening !== undefined && 'challenge' in opening) return opening;
    return this.opener.open(user, client, opening?.authentication);
  }

  /**
   * Signs a known user in without a password: for hosts that authenticate by other means (an OAuth callback, a
   * magic link), for features that finish a sign-in (a second factor met), and for tests that need a signed-in user
   * without paying bcrypt's cost or going through HTTP. `authentication` is what the access tokens will say of it
   * (`amr`, `acr`; default a password, `aal1`).
   * @throws AuthError `USER_NOT_FOUND` when there is no such user; `ACCOUNT_DISABLED` when it is disabled.
   */
  async startSession(
    userId: string,
    client: ClientInfo = {},
    authentication?: Omit<SessionAuthentication, 'time'>,
  ): Promise<TokenPair> {
    const user = await this.accounts.findUser(userId);
    if (!user) throw new AuthError('USER_NOT_FOUND');
    if (user.disabled) throw new AuthError('ACCOUNT_DISABLED');
    return this.opener.open(user, client, authentication);
  }

  /**
   * Re-authenticates the caller's session with their password (RFC 9470 step-up): a fresh `auth_time`, `amr`
   * `['pwd']`, the session's `acr` kept (its second factor, if any, still holds: NIST SP 800-63B §7.2); a new pair
   * of the same session. Slowed down and counted as a login.
   * @throws AuthError `INVALID_CREDENTIALS` (a wrong password), `RATE_LIMITED`; as {@link reauthenticate}.
   */
  async reauthenticateWithPassword(
    caller: AuthUser,
    password: string,
    client: ClientInfo,
  ): Promise<TokenPair> {
    const user = await this.accounts.currentUser(caller);
    await this.accounts.verifyCredentials(user.email, password, client);
    return this.reauthentication.reauthenticate(caller, {
      methods: ['pwd'],
      level: caller.acr ?? 'aal1',
    });
  }

  /**
   * Records a new authentication of the caller's session, which the caller (a feature) has verified itself: a
   * second factor's code, a passkey. Its access tokens carry `auth_time` now and `authentication`'s `amr` and
   * `acr`; the pair returned is of the same session (its refresh token is the current one, not rotated).
   * @throws AuthError `TOKEN_REVOKED`, `TOKEN_INVALID`, `ACCOUNT_DISABLED` when the session cannot be re-authenticated.
   */
  reauthenticate(
    caller: AuthUser,
    authentication: Omit<SessionAuthentication, 'time'>,
  ): Promise<TokenPair> {
    return this.reauthentication.reauthenticate(caller, authentication);
  }

  /**
   * Rotates a verified refresh token: spends it and issues its successor. A token spent moments ago (within the
   * grace) gets the same successor again; any other reuse is taken as theft and revokes the whole session.
   * @throws AuthError `TOKEN_INVALID`, `TOKEN_EXPIRED`, `TOKEN_REVOKED` or `REFRESH_TOKEN_REUSED` when the token cannot be rotated.
   */
  refresh(claims: RefreshTokenClaims, client: ClientInfo): Promise<TokenPair> {
    return this.rotation.refresh(claims, client);
  }

  /**
   * Revokes the caller's session, all of the user's sessions, or all but the caller's. Logging out twice is not an
   * error; but a token of a revoked session does nothing, whatever the scope: it must not sign anyone else out.
   */
  async logout(caller: AuthUser, scope: LogoutScope = 'local'): Promise<void> {
    await this.userSessions.logout(caller, scope);
    // Wherever the credential epoch moves on, what stands for a past sign-in (a remembered device) goes too.
    if (scope !== 'local' && caller.sessionRevoked !== true) {
      await this.hooks.signInsForgotten(
        caller.id,
        scope === 'global' ? 'logout_global' : 'logout_others',
      );
    }
  }

  /**
   * Ends the session of a refresh token, for a client whose access token has expired: of `refreshTokens` (one from a
   * body, or every refresh cookie sent), the one this server signed and issued last. Only a current token of a live
   * session ends it; any other token does nothing, silently (docs/sessions.md: Behaviour in detail, Logout).
   */
  logoutWithRefreshToken(refreshTokens: readonly string[]): Promise<void> {
    return this.refreshTokenLogout.logout(refreshTokens);
  }

  /**
   * The caller as the API shows a user, with the fields of the `publicUserFields` hooks (typed `Fields`).
   * @throws AuthError `TOKEN_INVALID` when the user is gone.
   */
  async me<Fields extends object = object>(caller: AuthUser): Promise<PublicUser & Fields> {
    const user = await this.accounts.currentUser(caller);
    return (await publicUserOf(user, this.hooks)) as PublicUser & Fields;
  }

  /** `user` as the admin routes show it, with the fields of the `publicUserFields` hooks. */
  showManagedUser(user: UserRecord): Promise<ManagedUser> {
    return managedUserOf(user, this.hooks);
  }

  /** The caller's live sessions, newest first. */
  listSessions(caller: AuthUser): Promise<SessionView[]> {
    return this.userSessions.list(caller);
  }

  /** Revokes one of the caller's live sessions; 404 for anything else, so ids of others' sessions reveal nothing. */
  revokeSession(caller: AuthUser, sessionId: string): Promise<void> {
    return this.userSessions.revoke(caller, sessionId);
  }

  /**
   * Changes the password and signs out every other session (the reason one changes a password). The current
   * password is checked within the account's failed-login budget (see CurrentPasswordCheck).
   * @throws AuthError `WRONG_CURRENT_PASSWORD`; `RATE_LIMITED` while the account waits; `VALIDATION_FAILED` when
   * the new one breaks the policy.
   */
  async changePassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    await this.accounts.changePassword(caller, currentPassword, newPassword);
    await this.hooks.signInsForgotten(caller.id, 'password_change');
  }

  /**
   * Revokes every session of a user at once, on every instance (all their access and refresh tokens die): for a
   * host's "sign out everywhere" or a suspected compromise. Emits `session.revoked` for each. An unknown user has
   * no session: nothing happens.
   */
  revokeUserSessions(userId: string): Promise<void> {
    return this.administration.revokeUserSessions(userId);
  }

  /**
   * Gives the user exactly these roles (duplicates dropped). The access tokens issued before are refused from the
   * next request on, on every instance; the user stays signed in, and the next refresh issues tokens with the new
   * roles (docs/administration.md: Administration). Emits `user.roles_changed`, unless the roles are the same as before.
   * @returns the user as the admin routes show it.
   * @throws AuthError `USER_NOT_FOUND` for an unknown user; `LAST_ADMIN` when it would leave no active admin.
   */
  async setRoles(userId: string, roles: readonly string[]): Promise<ManagedUser> {
    return this.showManagedUser(await this.administration.setRoles(userId, roles));
  }

  /**
   * Disables the user (every session revoked at once; login then answers 403 `Account disabled`, refresh 401), or
   * enables them again. Emits `user.disabled` / `user.enabled` when the state changes.
   * @throws AuthError `USER_NOT_FOUND` for an unknown user; `LAST_ADMIN` when it would leave no active admin.
   */
  async setDisabled(userId: string, disabled: boolean): Promise<ManagedUser> {
    return this.showManagedUser(await this.administration.setDisabled(userId, disabled));
  }

  /**
   * Deletes the user: every session revoked at once (their rows go with the pruner, once no token of theirs can
   * be valid), then the user. The address may register again. Emits `user.deleted`.
   * @throws AuthError `USER_NOT_FOUND` for an unknown user; `LAST_ADMIN` when it would leave no active admin.
   */
  deleteUser(userId: string): Promise<void> {
    return this.administration.deleteUser(userId);
  }

  /**
   * The caller deletes their own account, as {@link deleteUser}.
   * @throws AuthError `WRONG_CURRENT_PASSWORD`; `RATE_LIMITED` while the account waits.
   */
  deleteAccount(caller: AuthUser, currentPassword: string): Promise<void> {
    return this.administration.deleteOwnAccount(caller, currentPassword);
  }

  /**
   * An admin's change of a user's roles and disabled flag (`PATCH <prefix>/admin/users/:id`).
   * @throws AuthError `VALIDATION_FAILED` for an empty change, or an admin disabling or demoting themselves;
   * `USER_NOT_FOUND` for an unknown user.
   */
  async updateUser(
    admin: AuthUser,
    userId: string,
    change: { roles?: string[]; disabled?: boolean },
  ): Promise<ManagedUser> {
    return this.showManagedUser(await this.administration.update(admin, userId, change));
  }
}
