import type { ClientInfo, PublicUser, SessionAuthentication } from './model/auth.types';
import type { UserRecord } from './model/user-store.port';

/** What a sign-in is made of when its identity is verified: who, from where, and with which factor. */
export interface SignInAttempt {
  /** The client of the request (user agent, IP), as recorded on the session. */
  readonly client: ClientInfo;
  /** How the identity was verified (RFC 8176 `amr` values, e.g. `pwd`). */
  readonly methods: readonly string[];
  /**
   * What the client holds from an earlier sign-in on this device (the login's `deviceToken`), opaque to the core: a
   * feature may recognise it (a remembered device), and must ignore one it does not (another user's, an old one).
   */
  readonly deviceToken?: string;
}

/**
 * What `sessionOpening` answers: nothing (open the session), or a challenge the client must meet first (a second
 * factor). The challenge is not an error: the login answers 200 with `body` and opens no session.
 */
export interface SignInChallenge {
  readonly challenge: Readonly<Record<string, unknown>>;
}

/**
 * What `sessionOpening` may answer instead: open the session now, and say it was authenticated so (e.g. a
 * remembered device stands for the second factor: `amr` `['pwd', 'mfa']`, `acr` `aal2`).
 */
export interface SignInAssurance {
  readonly authentication: Omit<SessionAuthentication, 'time'>;
}

/**
 * What a client may send beside a password-reset link's token, for the features that ask for more than the mailbox
 * before the password changes (a second factor: a TOTP `code` or a `recoveryCode`).
 */
export interface PasswordResetExtras {
  readonly code?: string;
  readonly recoveryCode?: string;
}

/**
 * Why every sign-in of a user ends at once, at each end of the user's credential epoch: what features that remember
 * sign-ins (devices) forget them on. `logout_others`: the user signed out every other session; `revoked`: a host or
 * an admin revoked every session; `disabled`: the user was disabled.
 */
export type SignInsForgottenReason =
  'password_change' | 'password_reset' | 'logout_global' | 'logout_others' | 'revoked' | 'disabled';

/**
 * The typed seams of a sign-in and of an account's life, implemented by features (and hosts): each method is
 * optional, and every registered implementation is called, in the order of the `features` list.
 *
 * Sign-in: identity verified -> session opening -> token claims -> (later) session revoked.
 */
export interface AuthHooks {
  /**
   * The first factor held (a correct password). Throw an `AuthError` to refuse the sign-in (e.g. an unverified
   * address where verification is required); answer nothing to let it go on.
   */
  identityVerified?(user: UserRecord, attempt: SignInAttempt): void | Promise<void>;
  /**
   * Before a session opens: a {@link SignInChallenge} to ask for more, a {@link SignInAssurance} to open it as more
   * strongly authenticated than the first factor says, or undefined to open it as it is (the first answer wins).
   */
  sessionOpening?(
    user: UserRecord,
    attempt: SignInAttempt,
  ): SessionOpening | Promise<SessionOpening>;
  /**
   * Every sign-in of the user was just ended on purpose, wherever the credential epoch moves on (a password changed
   * or reset, `logout?scope=global` or `others`, every session revoked, the user disabled): forget what stands for
   * a past sign-in (remembered devices). Awaited before the request answers.
   */
  signInsForgotten?(userId: string, reason: SignInsForgottenReason): void | Promise<void>;
  /**
   * A password reset by a mailed link is about to change the user's password (the link is valid, not yet spent):
   * throw an `AuthError` to refuse it, the link staying usable (e.g. `MFA_REQUIRED` when a second factor is
   * enrolled and `extras` holds none). Called by the feature that serves the reset.
   */
  passwordResetting?(user: UserRecord, extras: PasswordResetExtras): void | Promise<void>;
  /** A user was registered: follow-up work (a verification mail) that must never fail the registration. */
  userRegistered?(user: PublicUser): void | Promise<void>;
  /** A user is being deleted (sessions revoked, row not yet gone): remove what the feature keeps of them. */
  userDeleting?(userId: string): void | Promise<void>;
}

/** What a `sessionOpening` hook answers. */
export type SessionOpening = SignInChallenge | SignInAssurance | undefined;

/** The hook implementations of the registered features, in registration order (an injection token). */
export const AUTH_HOOKS = Symbol('AuthHooks');
