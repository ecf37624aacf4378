import { Inject, Injectable } from '@nestjs/common';
import type { PublicUser } from './model/auth.types';
import type { UserRecord } from './model/user-store.port';
import { AUTH_HOOKS, type AuthHooks, type SignInAttempt, type SignInChallenge } from './hooks';

/**
 * Calls the registered {@link AuthHooks} at each seam, in registration order, awaiting each: what the core's flows
 * call instead of naming any feature. With no feature registered every seam is a no-op.
 */
@Injectable()
export class HookRunner {
  private readonly identityChecks: AuthHooks[];
  private readonly openings: AuthHooks[];
  private readonly registrations: AuthHooks[];
  private readonly deletions: AuthHooks[];

  constructor(@Inject(AUTH_HOOKS) hooks: readonly AuthHooks[]) {
    // Sorted once, so a seam nobody implements costs nothing per sign-in.
    this.identityChecks = hooks.filter((hook) => hook.identityVerified !== undefined);
    this.openings = hooks.filter((hook) => hook.sessionOpening !== undefined);
    this.registrations = hooks.filter((hook) => hook.userRegistered !== undefined);
    this.deletions = hooks.filter((hook) => hook.userDeleting !== undefined);
  }

  /** @throws whatever a hook throws (an `AuthError`): the sign-in is refused. */
  async identityVerified(user: UserRecord, attempt: SignInAttempt): Promise<void> {
    for (const hook of this.identityChecks) await hook.identityVerified?.(user, attempt);
  }

  /** The first challenge a hook asks for, or undefined: the session may open. */
  async sessionOpening(
    user: UserRecord,
    attempt: SignInAttempt,
  ): Promise<SignInChallenge | undefined> {
    for (const hook of this.openings) {
      const challenge = await hook.sessionOpening?.(user, attempt);
      if (challenge !== undefined) return challenge;
    }
    return undefined;
  }

  async userRegistered(user: PublicUser): Promise<void> {
    for (const hook of this.registrations) await hook.userRegistered?.(user);
  }

  async userDeleting(userId: string): Promise<void> {
    for (const hook of this.deletions) await hook.userDeleting?.(userId);
  }
}
