import type { RevocationReason } from '../model/session-store.port';

/** What the module tells the host. Never a password, a hash or a token. */
export type AuthEvent =
  | { type: 'user.registered'; userId: string; email: string }
  | { type: 'login.succeeded'; userId: string; sessionId: string; ip?: string; userAgent?: string }
  /** `userId` is set when the email exists (the password was wrong). */
  | { type: 'login.failed'; email: string; userId?: string; ip?: string; userAgent?: string }
  | { type: 'session.revoked'; userId: string; sessionId: string; reason: RevocationReason }
  /**
   * A spent refresh token was presented again after the grace: it was probably stolen. The session is revoked;
   * alert the user. `ip` and `userAgent` are those of the request that presented it.
   */
  | {
      type: 'refresh_token.reused';
      userId: string;
      sessionId: string;
      ip?: string;
      userAgent?: string;
    }
  | { type: 'password.changed'; userId: string }
  /** Access tokens issued before are refused from now on; the sessions live on and refresh to the new roles. */
  | { type: 'user.roles_changed'; userId: string; roles: string[]; previousRoles: string[] }
  /** Every session was revoked; login answers 403 until the user is enabled again. */
  | { type: 'user.disabled'; userId: string }
  | { type: 'user.enabled'; userId: string }
  /** Every session was revoked, and the address may register again. */
  | { type: 'user.deleted'; userId: string; email: string }
  /** The user opened the link of a verification mail: `email` is theirs. */
  | { type: 'email.verified'; userId: string; email: string }
  /** The password was reset through a mailed link; every session of the user was revoked. */
  | { type: 'password.reset'; userId: string }
  /** The address of the account changed (confirmed from the new address), from `previousEmail` to `email`. */
  | { type: 'email.changed'; userId: string; previousEmail: string; email: string }
  /** A second factor was enrolled (`method`: `totp`, `passkey`); the user's other sessions were revoked. Tell the user. */
  | { type: 'mfa.enrolled'; userId: string; method: string }
  /** A second factor was removed, by the user or by an admin; sessions were revoked. Tell the user. */
  | { type: 'mfa.removed'; userId: string; method: string; by: 'user' | 'admin' }
  /** A wrong second-factor code (at login or re-authentication): counted towards the account's slowdown. */
  | { type: 'mfa.failed'; userId: string; ip?: string; userAgent?: string }
  /** A recovery code was spent; `codesLeft` remain (tell the user to renew them when few are left). */
  | { type: 'mfa.recovery_code_used'; userId: string; codesLeft: number }
  /** A device was remembered at a second-factor check: it skips that check for a while. */
  | { type: 'mfa.device_remembered'; userId: string }
  /**
   * A passkey's signature counter did not go forward (WebAuthn Level 3 §6.1.1): the credential may have been cloned.
   * The sign-in was refused; tell the user, and consider removing the passkey (`passkeyId`).
   */
  | {
      type: 'passkey.clone_suspected';
      userId: string;
      passkeyId: string;
      ip?: string;
      userAgent?: string;
    };

export type AuthEventType = AuthEvent['type'];

export type AuthEventOf<T extends AuthEventType> = Extract<AuthEvent, { type: T }>;
