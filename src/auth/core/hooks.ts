import type { ClientInfo, PublicUser } from './model/auth.types';
import type { UserRecord } from './model/user-store.port';

/** What a sign-in is made of when its identity is verified: who, from where, and with which factor. */
export interface SignInAttempt {
  /** The client of the request (user agent, IP), as recorded on the session. */
  readonly client: ClientInfo;
  /** How the identity was verified (RFC 8176 `amr` values, e.g. `pwd`). */
  readonly methods: readonly string[];
}

/**
 * What `sessionOpening` answers: nothing (open the session), or a challenge the client must meet first (a second
 * factor). The challenge is not an error: the login answers 200 with `body` and opens no session.
 */
export interface SignInChallenge {
  readonly challenge: Readonly<Record<string, unknown>>;
}

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
   * Before a session opens: a {@link SignInChallenge} to ask for more (the first challenge answered wins), or
   * undefined to open it now.
   */
  sessionOpening?(
    user: UserRecord,
    attempt: SignInAttempt,
  ): SignInChallenge | undefined | Promise<SignInChallenge | undefined>;
  /** A user was registered: follow-up work (a verification mail) that must never fail the registration. */
  userRegistered?(user: PublicUser): void | Promise<void>;
  /** A user is being deleted (sessions revoked, row not yet gone): remove what the feature keeps of them. */
  userDeleting?(userId: string): void | Promise<void>;
}

/** The hook implementations of the registered features, in registration order (an injection token). */
export const AUTH_HOOKS = Symbol('AuthHooks');
