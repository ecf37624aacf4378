/**
 * The longest user id the module takes: the session store keeps it (`auth_sessions.user_id` is `varchar(255)`).
 * A login of a user with a longer id is refused with 403.
 */
export const MAX_USER_ID_LENGTH = 255;

/** A user as the module sees it. `passwordHash` never leaves the server. */
export interface UserRecord {
  /** Any string of 1 to {@link MAX_USER_ID_LENGTH} characters (the built-in store uses UUIDs). */
  id: string;
  /** Normalized (`normalizeEmail`): trimmed, NFC, lower-cased, domain in ASCII. */
  email: string;
  passwordHash: string;
  roles: string[];
  /**
   * A disabled user cannot log in or refresh; every session was revoked when it was disabled. Absent counts as
   * false.
   */
  disabled?: boolean;
  createdAt: Date;
  /** Whether the user proved the address is theirs (a mailed link). Absent counts as false. */
  emailVerified?: boolean;
  /**
   * Counts the ends of the user's credentials: a password change or reset, a disabling, a sign-out of every
   * session. Whatever was authorized before (a mailed link records it when sent) dies when it moves on. Absent
   * counts as 0.
   */
  credentialEpoch?: number;
}

/** A page of users, newest first (`createdAt`, then `id`, both descending). */
export interface UserListQuery {
  /** 1 to 100. */
  limit: number;
  /** Only the users strictly after this one in that order (the last user of the previous page). */
  after?: { createdAt: Date; id: string };
  /** Only addresses starting with this (already normalized as an address is, but may be partial). */
  emailPrefix?: string;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  roles: string[];
  createdAt: Date;
  /** Default false. */
  emailVerified?: boolean;
}

/** Thrown by {@link UserStore.create} when the email is taken (also when a concurrent registration won the race). */
export class EmailTakenError extends Error {
  constructor() {
    super('Email already registered');
  }
}

/**
 * A write that must leave at least one active (not disabled) user holding {@link role}: the store checks it inside
 * the write, under a lock (or what serializes its writes), so that two admins demoting each other at once cannot
 * both succeed. A write that does not take the role from an active holder is not checked.
 */
export interface KeepActiveHolder {
  role: string;
}

/** Thrown by a write given a {@link KeepActiveHolder} that would leave no active holder of the role; nothing changed. */
export class LastActiveHolderError extends Error {
  constructor(readonly role: string) {
    super(`No other active user holds the role ${role}`);
  }
}

/** Where users live. The default is TypeORM (`TypeOrmUserStore`); a host app may provide its own under {@link USER_STORE}. */
export interface UserStore {
  /** `email` is already normalized. */
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  /** Creates a user with a fresh UUID; throws {@link EmailTakenError} when the email exists. */
  create(user: NewUser): Promise<UserRecord>;
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
  /**
   * Moves the user's {@link UserRecord.credentialEpoch} on by one, in one write (`credential_epoch + 1`, so racing
   * calls never lose a step). An unknown id changes nothing.
   */
  bumpCredentialEpoch(id: string): Promise<void>;
  /**
   * Replaces the user's roles. With `keep`, throws {@link LastActiveHolderError} (changing nothing) when the user is an
   * active holder of `keep.role`, `roles` lacks it, and no other active user holds it: checked in the same write.
   */
  setRoles(id: string, roles: string[], keep?: KeepActiveHolder): Promise<void>;
  /** Sets the disabled flag; `keep` as in {@link setRoles} (disabling takes the role from an active holder). */
  setDisabled(id: string, disabled: boolean, keep?: KeepActiveHolder): Promise<void>;
  /** Deletes the user; returns whether there was one. Its address can register again. */
  delete(id: string): Promise<boolean>;
  /** At most `query.limit` users in the order of {@link UserListQuery}. */
  list(query: UserListQuery): Promise<UserRecord[]>;
  /** Marks the user's address as verified. */
  markEmailVerified(id: string): Promise<void>;
  /**
   * Changes the user's address to `email` (normalized) and marks it verified: it was confirmed from a mailed link.
   * Throws {@link EmailTakenError} when another user has it.
   */
  updateEmail(id: string, email: string): Promise<void>;
}

export const USER_STORE = Symbol('UserStore');

export { normalizeEmail } from '../users/email-address';
