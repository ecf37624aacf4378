import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../core/clock/clock';
import type {
  AuthHooks,
  PasswordResetExtras,
  SessionOpening,
  SignInAttempt,
} from '../../core/hooks/hooks';
import { HookRunner } from '../../core/hooks/hook-runner';
import { MfaService } from './mfa.service';
import type { UserRecord } from '../../core/model/user-store.port';
import { MfaChallengeTokens } from './mfa-challenge.tokens';
import { MFA_OPTIONS, type ResolvedMfaOptions } from './mfa.options';
import { MFA_STORE, type MfaStore } from './mfa-store.port';
import { SecretSeal } from './secret-seal';

/** A remembered device stands for the second factor it was remembered at: two factors, no new code (RFC 8176). */
const REMEMBERED = { methods: ['pwd', 'mfa'], level: 'aal2' } as const;

/**
 * Where the second factor meets the sign-in: a user with a factor gets a challenge instead of a session (a state of
 * the sign-in, not an error), unless the login comes with a device remembered for that user; remembered devices are
 * forgotten when every sign-in of the user ends on purpose, a password reset needs the second factor too, and a
 * deleted user's state goes with them.
 */
@Injectable()
export class MfaHooks implements AuthHooks {
  constructor(
    @Inject(MFA_STORE) private readonly store: MfaStore,
    @Inject(MFA_OPTIONS) private readonly options: ResolvedMfaOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly challenges: MfaChallengeTokens,
    private readonly seal: SecretSeal,
    private readonly mfa: MfaService,
    private readonly hooks: HookRunner,
  ) {}

  async sessionOpening(user: UserRecord, attempt: SignInAttempt): Promise<SessionOpening> {
    const [factor, others] = await Promise.all([
      this.store.findTotp(user.id),
      // Factors other features hold (passkeys): a user with one is challenged as one with TOTP is.
      this.hooks.secondFactorsOf(user.id),
    ]);
    const methods = [
      ...(factor?.enabledAt != null ? ['totp', 'recovery_code'] : []),
      ...others.map(({ method }) => method),
    ];
    if (methods.length === 0) return undefined;
    if (await this.remembers(user, attempt.deviceToken)) return { authentication: REMEMBERED };
    const { token, claims } = this.challenges.issue(user.id);
    await this.store.createChallenge({
      id: claims.jti,
      userId: user.id,
      expiresAt: claims.exp * 1000,
    });
    return {
      challenge: { mfaRequired: true, mfaToken: token, methods },
    };
  }

  /** The user of a live `mfaToken` (for a passkey ceremony limited to their credentials); else undefined. */
  async challengedUser(challengeToken: string): Promise<string | undefined> {
    try {
      return await this.mfa.challengedUser(challengeToken);
    } catch {
      return undefined;
    }
  }

  async signInsForgotten(userId: string): Promise<void> {
    // Every end of the credential epoch: remembered devices, and a setup begun under the old credential (issue of
    // the second review: a pending change dies with the credential that authorized it).
    await this.store.forgetDevices(userId);
    await this.store.dropPendingTotp(userId);
  }

  passwordResetting(user: UserRecord, extras: PasswordResetExtras): Promise<void> {
    return this.mfa.assertResetMayProceed(user, extras);
  }

  userDeleting(userId: string): Promise<void> {
    return this.store.forgetUser(userId);
  }

  /** Whether `deviceToken` is a live remembered device of this user; another user's is ignored, not refused. */
  private async remembers(user: UserRecord, deviceToken: string | undefined): Promise<boolean> {
    if (deviceToken === undefined || this.options.rememberDeviceSeconds === 0) return false;
    const device = await this.store.findDevice(this.seal.hash(deviceToken), this.clock.now());
    return device?.userId === user.id;
  }
}
