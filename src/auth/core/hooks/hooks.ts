import type { ClientInfo, PublicUser, SessionAuthentication } from '../model/auth.types';
import type { UserRecord } from '../model/user-store.port';

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
  /** A passkey's assertion (`AuthenticationResponseJSON`), for a user whose second factor is a passkey. */
  readonly passkey?: Record<string, unknown>;
}

/**
 * Why every sign-in of a user ends at once, at each end of the user's credential epoch: what features that remember
 * sign-ins (devices) forget them on. `logout_others`: the user signed out every other session; `revoked`: a host or
 * an admin revoked every session; `disabled`: the user was disabled; `factor_removed`: a second factor of another
 * feature was removed (CONTRACT 4.15).
 */
export type SignInsForgottenReason =
  | 'password_change'
  | 'password_reset'
  | 'logout_global'
  | 'logout_others'
  | 'revoked'
  | 'disabled'
  | 'factor_removed';

/**
 * A kind of second factor a feature holds for a user beside the second-factor feature's own (a passkey): what a
 * login's challenge offers (`methods`) and `GET <prefix>/mfa` counts.
 */
export interface HeldSecondFactor {
  /** The method a login's challenge names (`passkey`). */
  readonly method: string;
  /** How many the user holds (at least 1). */
  readonly count: number;
}

/**
 * A proof of a second factor that the feature holding it checks (a passkey's assertion): sent to the second-factor
 * feature's routes (`{ mfaToken, passkey }`, `POST <prefix>/reauthenticate { passkey }`) by the field `method`.
 */
export interface SecondFactorProof {
  /** The request field that carried it, the method's name (`passkey`). */
  readonly method: string;
  /** What the client sent in that field, unchecked. */
  readonly value: unknown;
  readonly client: ClientInfo;
}

/**
 * The typed seams of a sign-in and of an account's life, implemented by features and by hosts (the `hooks` extra of
 * `AuthModule.forRoot`): each method is optional, and every registered implementation is called, in the order of
 * the `features` list, then of the `hooks` list.
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
  /**
   * Claims to add to the user's access tokens, computed from the user at every issue of a token pair: a login, a
   * refresh, a re-authentication, a second factor met, a sign-in from a mailed link or by `startSession`. Every
   * request carries them, and any service holding the verification key reads them: keep them few, small and not
   * secret. A name the module sets or that JWT registers ({@link RESERVED_ACCESS_TOKEN_CLAIMS}) is refused: the
   * issue fails with an Error naming the hook and the claim. Of two hooks giving one name, the later one wins.
   * `@CurrentUser()` gives them back in `claims`.
   */
  accessTokenClaims?(user: UserRecord): HookFields | Promise<HookFields>;
  /**
   * Fields to add to the user as the API shows it ({@link PublicUser}): `GET /me`, the body of `POST /register`,
   * `AuthService.me` and `register`, the administration routes. A field the module shows
   * ({@link RESERVED_PUBLIC_USER_FIELDS}) is refused as in {@link accessTokenClaims}.
   */
  publicUserFields?(user: UserRecord): HookFields | Promise<HookFields>;
  /**
   * A user was registered: follow-up work (a verification mail) that must never fail the registration. `profile`
   * is what the client sent as `profile`, validated against the host's `registrationProfile` class (an instance of
   * it), or undefined: a host's hook keeps it where it keeps profiles. It runs before the registration answers, so
   * what it stores shows in that answer's {@link publicUserFields}; a throw answers 500, the account existing.
   */
  userRegistered?(user: PublicUser, profile?: object): void | Promise<void>;
  /**
   * The second factors of the user this feature holds ({@link HeldSecondFactor}), or undefined for none: a user
   * holding one gets the login's challenge as one with a TOTP does, its method among the challenge's `methods`.
   */
  secondFactorsOf?(userId: string): Promise<HeldSecondFactor | undefined>;
  /**
   * Checks `proof` for `user` when `proof.method` is this feature's: the RFC 8176 `amr` values it stands for (e.g.
   * `['hwk', 'user']`) when it holds, `false` when it does not (the caller counts a wrong code); undefined when the
   * method is not this feature's.
   */
  secondFactorProved?(
    user: UserRecord,
    proof: SecondFactorProof,
  ): Promise<readonly string[] | false | undefined>;
  /**
   * The user whose pending sign-in challenge `challengeToken` is (a login's `mfaToken`), or undefined when it is not
   * a live one: for a feature that prepares a factor's ceremony for that sign-in.
   */
  challengedUser?(challengeToken: string): Promise<string | undefined>;
  /** An admin removed every second factor of the user: remove this feature's. */
  secondFactorsRemoved?(userId: string): void | Promise<void>;
  /** A user is being deleted (sessions revoked, row not yet gone): remove what the feature keeps of them. */
  userDeleting?(userId: string): void | Promise<void>;
}

/**
 * What `accessTokenClaims` and `publicUserFields` answer: a plain object of names and JSON values (strings, numbers,
 * booleans, null, arrays and plain objects of them), or undefined for none. Typed `object` so that a host's own
 * interface (`{ tenant: string }`) fits; anything else (an array, a class instance) is refused when answered.
 */
export type HookFields = object | undefined;

/** What the module makes of every hook's {@link HookFields}: one object, or undefined when no hook gave any. */
export type MergedFields = Readonly<Record<string, unknown>> | undefined;

/**
 * Claim names an `accessTokenClaims` hook may not give: JWT's registered claims (RFC 7519 §4.1), those the module
 * sets on its tokens, RFC 9068's `client_id` and RFC 7800's `cnf`, and keys that would reach an object's prototype.
 */
export const RESERVED_ACCESS_TOKEN_CLAIMS: ReadonlySet<string> = new Set([
  ...['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'],
  ...['typ', 'alg', 'kid', 'sid', 'gen', 'email', 'email_verified', 'roles'],
  ...['auth_time', 'amr', 'acr', 'client_id', 'cnf'],
  ...['__proto__', 'constructor', 'prototype'],
]);

/** Field names a `publicUserFields` hook may not give: the module's own, the hash, and prototype keys. */
export const RESERVED_PUBLIC_USER_FIELDS: ReadonlySet<string> = new Set([
  ...['id', 'email', 'emailVerified', 'roles', 'createdAt', 'disabled', 'passwordHash'],
  ...['__proto__', 'constructor', 'prototype'],
]);

/** What a `sessionOpening` hook answers. */
export type SessionOpening = SignInChallenge | SignInAssurance | undefined;

/** The hook implementations of the registered features, in registration order (an injection token). */
export const AUTH_HOOKS = Symbol('AuthHooks');
