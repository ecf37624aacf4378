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

/**
 * Where users live: what the core needs of a user store (registration, login, refresh, `/me`, sessions, a password
 * change, logout everywhere). The default is TypeORM (`TypeOrmUserStore`), which implements every method of
 * {@link CompleteUserStore}; a host app may provide its own under {@link USER_STORE}, with these five methods, plus
 * those the features and routes it registers declare (checked at boot: a missing one stops the boot in one line
 * naming the method and who needs it): {@link UserAdministrationStore}, {@link UserListing}, {@link UserEmailStore}.
 */
export interface UserStore {
  /** `email` is already normalized. */
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  /** Creates a user with a fresh id; throws {@link EmailTakenError} when the email exists. */
  create(user: NewUser): Promise<UserRecord>;
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
  /**
   * Moves the user's {@link UserRecord.credentialEpoch} on by one, in one write (`credential_epoch + 1`, so racing
   * calls never lose a step). An unknown id changes nothing.
   */
  bumpCredentialEpoch(id: string): Promise<void>;
}

/**
 * What changing a user's roles or disabled flag and deleting a user take: `AuthService.setRoles`, `setDisabled`,
 * `deleteUser` and `deleteAccount`, the route `DELETE <prefix>/account` (`routes.accountDeletion`) and the
 * `administration()` feature.
 */
export interface UserAdministrationStore {
  /**
   * Replaces the user's roles. With `keep`, throws {@link LastActiveHolderError} (changing nothing) when the user is an
   * active holder of `keep.role`, `roles` lacks it, and no other active user holds it: checked in the same write.
   */
  setRoles(id: string, roles: string[], keep?: KeepActiveHolder): Promise<void>;
  /** Sets the disabled flag; `keep` as in {@link setRoles} (disabling takes the role from an active holder). */
  setDisabled(id: string, disabled: boolean, keep?: KeepActiveHolder): Promise<void>;
  /** Deletes the user; returns whether there was one. Its address can register again. */
  delete(id: string): Promise<boolean>;
}

/** What the `administration()` feature lists users with. */
export interface UserListing {
  /** At most `query.limit` users in the order of {@link UserListQuery}. */
  list(query: UserListQuery): Promise<UserRecord[]>;
}

/** What the `accountMail()` feature takes: an address verified, or changed from a mailed link. */
export interface UserEmailStore {
  /** Marks the user's address as verified. */
  markEmailVerified(id: string): Promise<void>;
  /**
   * Changes the user's address to `email` (normalized) and marks it verified: it was confirmed from a mailed link.
   * Throws {@link EmailTakenError} when another user has it.
   */
  updateEmail(id: string, email: string): Promise<void>;
}

/** Every method a user store may have: the built-in TypeORM store's (and the testing entry's in-memory one). */
export type CompleteUserStore = UserStore & UserAdministrationStore & UserListing & UserEmailStore;

/** A method of a user store beyond the core's. */
export type OptionalUserStoreMethod = Exclude<keyof CompleteUserStore, keyof UserStore>;

/** The methods the core calls on every install. */
export const CORE_USER_STORE_METHODS: readonly (keyof UserStore)[] = [
  'findByEmail',
  'findById',
  'create',
  'updatePasswordHash',
  'bumpCredentialEpoch',
];

/** The methods of {@link UserAdministrationStore}. */
export const USER_ADMINISTRATION_METHODS: readonly OptionalUserStoreMethod[] = [
  'setRoles',
  'setDisabled',
  'delete',
];

/** Who needs which methods of the user store: a feature, a route group, the core. */
export interface UserStoreNeed {
  /** As a sentence names it: `the administration feature`. */
  readonly who: string;
  readonly methods: readonly (keyof CompleteUserStore)[];
  /** What else the host can do than implement them: `leave administration() out`. */
  readonly otherwise?: string;
}

/**
 * What `store` lacks of what `needs` ask, one sentence per need that is not met; empty when every method is there.
 */
export function userStoreProblems(store: object, needs: readonly UserStoreNeed[]): string[] {
  // A class's name helps; a plain (or prototype-less) object has none worth saying.
  const type = (store as { constructor?: { name?: unknown } }).constructor;
  const named =
    type !== undefined && type !== Object && typeof type.name === 'string' && type.name !== '';
  const name = named ? `the user store ${String(type.name)}` : 'the user store';
  return needs.flatMap(({ who, methods, otherwise }) => {
    const missing = methods.filter(
      (method) => typeof (store as Record<string, unknown>)[method] !== 'function',
    );
    if (missing.length === 0) return [];
    return [
      `${name} has no ${missing.join(', ')}, which ${who} needs: implement ${missing.length > 1 ? 'them' : 'it'}` +
        (otherwise === undefined ? '' : `, or ${otherwise}`),
    ];
  });
}

/**
 * `store` as one with the administration methods, for a host's call to `AuthService.setRoles` (`who`).
 * @throws Error naming the missing methods when the host's store has not them.
 */
export function administeredStore(
  store: UserStore,
  who: string,
): UserStore & UserAdministrationStore {
  const problems = userStoreProblems(store, [{ who, methods: USER_ADMINISTRATION_METHODS }]);
  if (problems.length > 0) throw new Error(`AuthModule: ${problems.join('; ')}`);
  return store as UserStore & UserAdministrationStore;
}

export const USER_STORE = Symbol('UserStore');

export { normalizeEmail } from '../users/email-address';
