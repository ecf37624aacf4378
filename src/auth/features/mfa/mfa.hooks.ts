import { Inject, Injectable } from '@nestjs/common';
import type { AuthHooks, SignInChallenge } from '../../core/hooks';
import type { UserRecord } from '../../core/users/user-store.port';
import { MfaChallengeTokens } from './mfa-challenge.tokens';
import { MFA_STORE, type MfaStore } from './mfa-store.port';

/**
 * Where the second factor meets the sign-in: a user with a factor gets a challenge instead of a session (a state of
 * the sign-in, not an error), and a deleted user's factors, codes and devices go with them. It needs the store and
 * the challenge tokens only, not MfaService (which needs AuthService, which runs these hooks).
 */
@Injectable()
export class MfaHooks implements AuthHooks {
  constructor(
    @Inject(MFA_STORE) private readonly store: MfaStore,
    private readonly challenges: MfaChallengeTokens,
  ) {}

  /** The challenge of a sign-in whose first factor held, when the user has a second one; else undefined. */
  async sessionOpening(user: UserRecord): Promise<SignInChallenge | undefined> {
    const factor = await this.store.findTotp(user.id);
    if (factor?.enabledAt == null) return undefined;
    const { token, claims } = this.challenges.issue(user.id);
    await this.store.createChallenge({
      id: claims.jti,
      userId: user.id,
      expiresAt: claims.exp * 1000,
    });
    return {
      challenge: { mfaRequired: true, mfaToken: token, methods: ['totp', 'recovery_code'] },
    };
  }

  userDeleting(userId: string): Promise<void> {
    return this.store.forgetUser(userId);
  }
}
