import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { PublicUser } from '../model/auth.types';
import type { UserRecord } from '../model/user-store.port';
import { hookFields } from './hook-fields';
import {
  AUTH_HOOKS,
  type AuthHooks,
  type MergedFields,
  type HeldSecondFactor,
  type SecondFactorProof,
  type PasswordResetExtras,
  type SessionOpening,
  type SignInAttempt,
  type SignInsForgottenReason,
} from './hooks';

interface SortedHooks {
  identityChecks: AuthHooks[];
  openings: AuthHooks[];
  registrations: AuthHooks[];
  deletions: AuthHooks[];
  forgetters: AuthHooks[];
  resets: AuthHooks[];
  claims: AuthHooks[];
  fields: AuthHooks[];
  factors: AuthHooks[];
}

/**
 * Calls the registered {@link AuthHooks} at each seam, in registration order, awaiting each: what the core's flows
 * call instead of naming any feature. With no feature registered every seam is a no-op.
 */
@Injectable()
export class HookRunner implements OnApplicationBootstrap {
  private sorted?: SortedHooks;

  /**
   * @param hooks the implementations, or a function that gives them: the module passes a function, read at boot
   *   once every provider exists, so that a hook class may depend on services that run these hooks (AuthService)
   *   without a cycle at construction.
   */
  constructor(
    @Inject(AUTH_HOOKS) private readonly hooks: readonly AuthHooks[] | (() => readonly AuthHooks[]),
  ) {}

  /** Resolves the hooks once every provider exists: a host's hook class that no module provides stops the boot. */
  onApplicationBootstrap(): void {
    void this.seams;
  }

  /** The hooks of each seam, sorted once, so a seam nobody implements costs nothing per sign-in. */
  private get seams(): SortedHooks {
    if (this.sorted === undefined) {
      const hooks = typeof this.hooks === 'function' ? this.hooks() : this.hooks;
      this.sorted = {
        identityChecks: hooks.filter((hook) => hook.identityVerified !== undefined),
        openings: hooks.filter((hook) => hook.sessionOpening !== undefined),
        registrations: hooks.filter((hook) => hook.userRegistered !== undefined),
        deletions: hooks.filter((hook) => hook.userDeleting !== undefined),
        forgetters: hooks.filter((hook) => hook.signInsForgotten !== undefined),
        resets: hooks.filter((hook) => hook.passwordResetting !== undefined),
        claims: hooks.filter((hook) => hook.accessTokenClaims !== undefined),
        fields: hooks.filter((hook) => hook.publicUserFields !== undefined),
        factors: hooks.filter(
          (hook) =>
            hook.secondFactorsOf !== undefined ||
            hook.secondFactorProved !== undefined ||
            hook.challengedUser !== undefined ||
            hook.secondFactorsRemoved !== undefined,
        ),
      };
    }
    return this.sorted;
  }

  /** @throws whatever a hook throws (an `AuthError`): the sign-in is refused. */
  async identityVerified(user: UserRecord, attempt: SignInAttempt): Promise<void> {
    for (const hook of this.seams.identityChecks) await hook.identityVerified?.(user, attempt);
  }

  /** The first answer a hook gives (a challenge, or an assurance), or undefined: the session opens as it is. */
  async sessionOpening(user: UserRecord, attempt: SignInAttempt): Promise<SessionOpening> {
    for (const hook of this.seams.openings) {
      const answer = await hook.sessionOpening?.(user, attempt);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  /** Tells every hook, in order, that the user's sign-ins were all ended (`reason`). */
  async signInsForgotten(userId: string, reason: SignInsForgottenReason): Promise<void> {
    for (const hook of this.seams.forgetters) await hook.signInsForgotten?.(userId, reason);
  }

  /** @throws whatever a hook throws (an `AuthError`): the reset is refused, its link left usable. */
  async passwordResetting(user: UserRecord, extras: PasswordResetExtras): Promise<void> {
    for (const hook of this.seams.resets) await hook.passwordResetting?.(user, extras);
  }

  async userRegistered(user: PublicUser, profile?: object): Promise<void> {
    for (const hook of this.seams.registrations) await hook.userRegistered?.(user, profile);
  }

  /** Whether some hook adds claims to access tokens: when none does, issuing a token awaits nothing more. */
  get addsClaims(): boolean {
    return this.seams.claims.length > 0;
  }

  /**
   * The claims every `accessTokenClaims` hook gives for `user`, merged in order, or undefined when none gives any.
   * @throws Error naming the hook and the claim when a hook gives a reserved claim or an answer that is no object.
   */
  accessTokenClaims(user: UserRecord): Promise<MergedFields> {
    return hookFields('accessTokenClaims', this.seams.claims, user);
  }

  /** The fields every `publicUserFields` hook gives for `user`, merged in order; as {@link accessTokenClaims}. */
  publicUserFields(user: UserRecord): Promise<MergedFields> {
    return hookFields('publicUserFields', this.seams.fields, user);
  }

  /** Whether some hook adds fields to the public user. */
  get addsUserFields(): boolean {
    return this.seams.fields.length > 0;
  }

  async userDeleting(userId: string): Promise<void> {
    for (const hook of this.seams.deletions) await hook.userDeleting?.(userId);
  }

  /** The second factors the features hold for the user (those of which they hold at least one). */
  async secondFactorsOf(userId: string): Promise<HeldSecondFactor[]> {
    const held: HeldSecondFactor[] = [];
    for (const hook of this.seams.factors) {
      const factor = await hook.secondFactorsOf?.(userId);
      if (factor !== undefined && factor.count > 0) held.push(factor);
    }
    return held;
  }

  /**
   * The feature's verdict on `proof` (the `amr` values it stands for, or false), or undefined when no feature holds
   * its method. @throws whatever the feature throws (an `AuthError`).
   */
  async secondFactorProved(
    user: UserRecord,
    proof: SecondFactorProof,
  ): Promise<readonly string[] | false | undefined> {
    for (const hook of this.seams.factors) {
      const verdict = await hook.secondFactorProved?.(user, proof);
      if (verdict !== undefined) return verdict;
    }
    return undefined;
  }

  /** The user of a live sign-in challenge token, as the feature that issued it answers; else undefined. */
  async challengedUser(challengeToken: string): Promise<string | undefined> {
    for (const hook of this.seams.factors) {
      const userId = await hook.challengedUser?.(challengeToken);
      if (userId !== undefined) return userId;
    }
    return undefined;
  }

  async secondFactorsRemoved(userId: string): Promise<void> {
    for (const hook of this.seams.factors) await hook.secondFactorsRemoved?.(userId);
  }
}
