import type { AuthDeps } from '../sessions/auth.deps';
import type { AuthUser } from '../model/auth.types';
import { AuthError } from '../errors/auth-error';
import { revokeAll, revocationWindowMs } from '../model/revocation-list.port';
import type { SessionRevoker } from '../sessions/session-revoker';
import type { CurrentPasswordCheck } from './current-password-check';
import type { SignInsForgottenReason } from '../hooks/hooks';
import type { RevocationReason } from '../model/session-store.port';
import {
  administeredStore,
  type KeepActiveHolder,
  LastActiveHolderError,
  MAX_USER_ID_LENGTH,
  type UserRecord,
} from '../model/user-store.port';

/** The role that may administer users through the module's routes. */
export const ADMIN_ROLE = 'admin';

/** Every change below keeps at least one active admin; the store checks it in the write (see KeepActiveHolder). */
const KEEP_AN_ADMIN: KeepActiveHolder = { role: ADMIN_ROLE };

/**
 * What an admin (or a host, with no HTTP) does to a user: change roles, disable, delete, sign out everywhere. Each
 * change reaches the access tokens already out at once, on every instance, through the revocation list: a role
 * change voids the tokens issued before it but keeps the sessions (their next refresh carries the new roles);
 * disabling and deleting revoke every session. None of them may leave the site without an active admin
 * (`LAST_ADMIN`): the user store checks that inside the write, under a lock, so two admins demoting each other at
 * once cannot both succeed.
 */
export class UserAdministration {
  constructor(
    private readonly deps: Pick<
      AuthDeps,
      'options' | 'users' | 'sessions' | 'revocations' | 'clock' | 'events' | 'passwords'
    >,
    private readonly revoker: SessionRevoker,
    private readonly currentPassword: CurrentPasswordCheck,
    /** Deletes what else the module keeps of a user (their mail tokens): called before the user goes. */
    private readonly forgetUser: (userId: string) => Promise<void> = () => Promise.resolve(),
    /** Tells the features that every sign-in of the user ended (they forget remembered devices). */
    private readonly signInsForgotten: (
      userId: string,
      reason: SignInsForgottenReason,
    ) => Promise<void> = () => Promise.resolve(),
  ) {}

  /**
   * See AuthService.revokeUserSessions. What the user had authorized before (a pending email change, a reset
   * link) dies with the sessions: their credential epoch moves on, and the features forget their remembered devices.
   */
  async revokeUserSessions(userId: string, reason: RevocationReason = 'logout'): Promise<void> {
    await this.deps.users.bumpCredentialEpoch(userId);
    const now = this.deps.clock.now();
    const revoked = await this.deps.sessions.revokeUserSessions(userId, reason, now);
    await this.revoker.revoke(userId, revoked, reason, now, true);
    // The epoch moved on: what stands for a past sign-in (a remembered device) goes with it.
    await this.signInsForgotten(userId, reason === 'user_disabled' ? 'disabled' : 'revoked');
  }

  /** See AuthService.setRoles. */
  async setRoles(userId: string, roles: readonly string[]): Promise<UserRecord> {
    const { sessions, revocations, clock, events, options } = this.deps;
    const users = administeredStore(this.deps.users, 'AuthService.setRoles');
    const user = await this.existing(userId);
    const next = [...new Set(roles)];
    if (sameRoles(user.roles, next)) return user;
    // Roles first, then the cut-off: a refresh in between already reads the new roles, and one after the cut-off
    // does too. The other order would let a refresh between the two mint a token with the old roles that survives.
    await keepingAnAdmin(users.setRoles(userId, next, KEEP_AN_ADMIN));
    const now = clock.now();
    const cut = await sessions.cutAccessTokens(userId, now);
    const until = now + revocationWindowMs(options.jwtExpiration);
    const issuedUpTo = Math.floor(now / 1000);
    await revokeAll(
      revocations,
      cut.map((sessionId) => ({ sessionId, until, issuedUpTo })),
    );
    events.emit({ type: 'user.roles_changed', userId, roles: next, previousRoles: user.roles });
    return { ...user, roles: next };
  }

  /** See AuthService.setDisabled. */
  async setDisabled(userId: string, disabled: boolean): Promise<UserRecord> {
    const users = administeredStore(this.deps.users, 'AuthService.setDisabled');
    const user = await this.existing(userId);
    if ((user.disabled === true) === disabled) return user;
    // The flag first: a login or refresh racing with this reads it and is refused, then no session is left.
    await keepingAnAdmin(users.setDisabled(userId, disabled, KEEP_AN_ADMIN));
    if (disabled) await this.revokeUserSessions(userId, 'user_disabled');
    this.deps.events.emit({ type: disabled ? 'user.disabled' : 'user.enabled', userId });
    return { ...user, disabled };
  }

  /**
   * See AuthService.deleteUser.
   * @throws AuthError `LAST_ADMIN` when the user is the last active admin; nothing changed then.
   */
  async deleteUser(userId: string): Promise<void> {
    const users = administeredStore(this.deps.users, 'AuthService.deleteUser');
    const user = await this.existing(userId);
    // Disabled first, in the write that checks for another admin: once that holds, the user counts as no admin, so
    // a rival deletion or demotion racing with this one sees it, and nothing below can leave the site without one.
    if (user.disabled !== true) {
      await keepingAnAdmin(users.setDisabled(userId, true, KEEP_AN_ADMIN));
    }
    // Sessions first: should the deletion then fail, the user is signed out, never left half deleted and signed in.
    await this.revokeUserSessions(userId, 'user_deleted');
    await this.forgetUser(userId);
    await users.delete(userId);
    this.deps.events.emit({ type: 'user.deleted', userId, email: user.email });
  }

  /**
   * An admin's change to a user (`PATCH <prefix>/admin/users/:id`): roles, then the disabled flag.
   * @throws AuthError `VALIDATION_FAILED` when neither is given, or when admins would disable or demote themselves;
   * `USER_NOT_FOUND` for an unknown id; `LAST_ADMIN` when it would leave no active admin.
   */
  async update(
    admin: AuthUser,
    userId: string,
    change: { roles?: string[]; disabled?: boolean },
  ): Promise<UserRecord> {
    if (change.roles === undefined && change.disabled === undefined) {
      throw invalid('Give roles, disabled, or both');
    }
    if (userId === admin.id) {
      // An admin locking themselves out would leave the site with no admin at all in the worst case.
      if (change.disabled === true) throw invalid('You cannot disable yourself');
      if (change.roles !== undefined && !change.roles.includes(ADMIN_ROLE)) {
        throw invalid(`You cannot remove the ${ADMIN_ROLE} role from yourself`);
      }
    }
    let user = await this.existing(userId);
    if (change.roles !== undefined) user = await this.setRoles(userId, change.roles);
    if (change.disabled !== undefined) user = await this.setDisabled(userId, change.disabled);
    return user;
  }

  /**
   * Deletes the caller's own account (`DELETE <prefix>/account`).
   * @throws AuthError `WRONG_CURRENT_PASSWORD` (403, not 401: a client refreshing on 401 would loop);
   * `RATE_LIMITED` while the account waits (see CurrentPasswordCheck); `LAST_ADMIN` for the last active admin.
   */
  async deleteOwnAccount(caller: AuthUser, currentPassword: string): Promise<void> {
    const user = await this.deps.users.findById(caller.id);
    if (!user) throw new AuthError('TOKEN_INVALID', 'its user is gone');
    await this.currentPassword.assert(user, currentPassword);
    await this.deleteUser(user.id);
  }

  /**
   * @throws AuthError `USER_NOT_FOUND` for an unknown id, ids that no store can hold included: too long, or with a NUL
   * (PostgreSQL refuses one in text).
   */
  private async existing(userId: string): Promise<UserRecord> {
    const storable = userId.length <= MAX_USER_ID_LENGTH && !userId.includes('\0');
    const user = storable ? await this.deps.users.findById(userId) : null;
    if (!user) throw new AuthError('USER_NOT_FOUND');
    return user;
  }
}

/** Runs a guarded write, answering `LAST_ADMIN` when the store refused it for leaving no active admin. */
async function keepingAnAdmin(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (error instanceof LastActiveHolderError) throw new AuthError('LAST_ADMIN');
    throw error;
  }
}

function sameRoles(current: readonly string[], next: readonly string[]): boolean {
  return current.length === next.length && current.every((role) => next.includes(role));
}

/** A refused change: 400 `VALIDATION_FAILED` naming the problem. */
function invalid(problem: string): AuthError {
  return new AuthError('VALIDATION_FAILED', { message: [problem] });
}
