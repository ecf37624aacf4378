import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuthService } from '../../core/auth.service';
import type {
  AuthUser,
  ClientInfo,
  SessionAuthentication,
  TokenPair,
} from '../../core/model/auth.types';
import { CLOCK, type Clock } from '../../core/clock/clock';
import { AuthError } from '../../core/errors/auth-error';
import { AuthEvents } from '../../core/events/auth-events';
import { HookRunner } from '../../core/hooks/hook-runner';
import type { PasswordResetExtras } from '../../core/hooks/hooks';
import { authenticationShortfall } from '../../core/step-up';
import { FailedLogins } from '../../core/throttling/failed-logins';
import { USER_STORE, type UserRecord, type UserStore } from '../../core/model/user-store.port';
import { MfaChallengeTokens } from './mfa-challenge.tokens';
import { MFA_OPTIONS, type ResolvedMfaOptions } from './mfa.options';
import { MFA_STORE, type MfaStore } from './mfa-store.port';
import { newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes';
import { SecretSeal } from './secret-seal';
import { matchingStep, newTotpSecret, otpauthUrl, base32Encode } from './totp';

/** Wrong codes a challenge survives: the fifth kills it (the contract's "dead after 5 wrong codes"). */
export const MAX_CHALLENGE_FAILURES = 5;

/** A login's second factor met with a TOTP code: password, one-time password, two factors (RFC 8176). */
const OTP_SIGN_IN: Omit<SessionAuthentication, 'time'> = {
  methods: ['pwd', 'otp', 'mfa'],
  level: 'aal2',
};

/** What `GET <prefix>/mfa` answers. */
export interface MfaStatus {
  totp: boolean;
  /** Passkeys are another feature's: what it answers through the `secondFactorsOf` hook, else 0. */
  passkeys: number;
  recoveryCodesLeft: number;
}

/**
 * How a second-factor check is met: a TOTP code, a recovery code, or a passkey's assertion (checked by the feature
 * holding passkeys, through the `secondFactorProved` hook).
 */
export type SecondFactorProof = { code: string } | { recoveryCode: string } | { passkey: unknown };

/**
 * The second factor (CONTRACT 4.15): TOTP enrolment (setup, enable with a first code, removal), recovery codes, the
 * challenge of a login and its verification, and re-authentication by code. Every code is accepted once, on every
 * instance: the TOTP step and the recovery code are spent by a conditional write of the store.
 */
@Injectable()
export class MfaService {
  constructor(
    @Inject(MFA_OPTIONS) private readonly options: ResolvedMfaOptions,
    @Inject(MFA_STORE) private readonly store: MfaStore,
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly challenges: MfaChallengeTokens,
    private readonly failedLogins: FailedLogins,
    private readonly events: AuthEvents,
    private readonly seal: SecretSeal,
    private readonly hooks: HookRunner,
  ) {}

  async status(caller: AuthUser): Promise<MfaStatus> {
    const [factor, left, others] = await Promise.all([
      this.store.findTotp(caller.id),
      this.store.countRecoveryCodes(caller.id),
      this.hooks.secondFactorsOf(caller.id),
    ]);
    const passkeys = others.find(({ method }) => method === 'passkey')?.count ?? 0;
    return { totp: factor?.enabledAt != null, passkeys, recoveryCodesLeft: left };
  }

  /**
   * Starts a TOTP enrolment: a new secret, sealed and pending until {@link enable}; a pending one is replaced.
   * @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` (a stale session), `MFA_ALREADY_ENABLED`.
   */
  async setup(caller: AuthUser): Promise<{ secret: string; otpauthUrl: string }> {
    this.assertRecent(caller);
    const user = await this.userOf(caller);
    const secret = newTotpSecret();
    if (!(await this.store.savePendingTotp(user.id, this.seal.seal(secret, user.id), this.now()))) {
      throw new AuthError('MFA_ALREADY_ENABLED');
    }
    return {
      secret: base32Encode(secret),
      otpauthUrl: otpauthUrl(secret, user.email, this.options.issuer),
    };
  }

  /**
   * Enables the pending TOTP factor with a first code, and answers ten recovery codes, shown this once. Every other
   * session of the user is revoked (the one enrolling keeps its `auth_time` and `acr`).
   * @throws AuthError `MFA_NOT_ENABLED` without a pending setup; `INVALID_MFA_CODE` (400) for a wrong code, counted
   * as a failed login of the account; `RATE_LIMITED` while the account must wait.
   */
  async enable(caller: AuthUser, code: string): Promise<{ recoveryCodes: string[] }> {
    const factor = await this.store.findTotp(caller.id);
    if (!factor || factor.enabledAt !== null) throw new AuthError('MFA_NOT_ENABLED');
    // A check of a code like any other: within the account's login budget (a stolen access token would otherwise
    // guess a pending factor's code without limit, and enable a factor its owner's app holds).
    await this.failedLogins.assertMayTry(caller.email);
    const secret = this.seal.open(factor.sealedSecret, caller.id);
    const step = matchingStep(secret, code, this.nowSeconds());
    if (step === undefined) {
      await this.failedLogins.recordFailure(caller.email);
      this.events.emit({ type: 'mfa.failed', userId: caller.id });
      throw new AuthError('INVALID_MFA_CODE', {
        invalidInput: true,
        reason: 'wrong enrolment code',
      });
    }
    await this.failedLogins.recordSuccess(caller.email);
    const recoveryCodes = newRecoveryCodes();
    const hashes = recoveryCodes.map((recovery) => this.seal.hash(recovery));
    if (!(await this.store.enableTotp(caller.id, step, hashes, this.now()))) {
      throw new AuthError('MFA_NOT_ENABLED');
    }
    await this.auth.logout(caller, 'others');
    this.events.emit({ type: 'mfa.enrolled', userId: caller.id, method: 'totp' });
    return { recoveryCodes };
  }

  /**
   * Removes the TOTP factor and its recovery codes; every remembered device is forgotten and every other session
   * revoked.
   * @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` (a stale session), `MFA_NOT_ENABLED`.
   */
  async disable(caller: AuthUser): Promise<void> {
    this.assertRecent(caller);
    if (!(await this.store.removeTotp(caller.id))) throw new AuthError('MFA_NOT_ENABLED');
    await this.store.forgetDevices(caller.id);
    await this.auth.logout(caller, 'others');
    this.events.emit({ type: 'mfa.removed', userId: caller.id, method: 'totp', by: 'user' });
  }

  /**
   * An admin removes a user's factors (never sets them): every session of the user is revoked.
   * @throws AuthError `USER_NOT_FOUND`.
   */
  async removeFactorsOf(userId: string): Promise<void> {
    if (!(await this.users.findById(userId))) throw new AuthError('USER_NOT_FOUND');
    const removed = await this.store.removeTotp(userId);
    await this.hooks.secondFactorsRemoved(userId);
    await this.store.forgetDevices(userId);
    await this.auth.revokeUserSessions(userId);
    if (removed) this.events.emit({ type: 'mfa.removed', userId, method: 'totp', by: 'admin' });
  }

  /**
   * Ten new recovery codes, the old ones void.
   * @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` (a stale session), `MFA_NOT_ENABLED` without TOTP.
   */
  async renewRecoveryCodes(caller: AuthUser): Promise<{ recoveryCodes: string[] }> {
    this.assertRecent(caller);
    const factor = await this.store.findTotp(caller.id);
    if (factor?.enabledAt == null) throw new AuthError('MFA_NOT_ENABLED');
    const recoveryCodes = newRecoveryCodes();
    await this.store.replaceRecoveryCodes(
      caller.id,
      recoveryCodes.map((code) => this.seal.hash(code)),
      this.now(),
    );
    return { recoveryCodes };
  }

  /**
   * Meets a login's challenge: the session opens with `acr` `aal2`. A wrong code counts against the challenge (the
   * fifth kills it) and against the account's login slowdown.
   * @throws AuthError `TOKEN_INVALID` / `TOKEN_EXPIRED` for a bad, spent, dead or expired `mfaToken`;
   * `INVALID_MFA_CODE`; `RATE_LIMITED` while the account must wait; `ACCOUNT_DISABLED`.
   */
  async verify(
    mfaToken: string,
    proof: SecondFactorProof,
    client: ClientInfo,
    rememberDevice = false,
  ): Promise<TokenPair & { deviceToken?: string }> {
    const { challenge, user } = await this.liveChallenge(mfaToken);
    const now = this.now();
    await this.failedLogins.assertMayTry(user.email);
    const methods = await this.proves(user, proof, client);
    if (methods === false) {
      await this.store.failChallenge(challenge.id);
      throw new AuthError('INVALID_MFA_CODE');
    }
    if (!(await this.store.spendChallenge(challenge.id, now, MAX_CHALLENGE_FAILURES))) {
      throw new AuthError('TOKEN_INVALID', 'mfa challenge spent meanwhile');
    }
    await this.failedLogins.recordSuccess(user.email);
    const authentication =
      'passkey' in proof
        ? { methods: ['pwd', ...methods, 'mfa'], level: 'aal2' as const }
        : OTP_SIGN_IN;
    const pair = await this.auth.startSession(user.id, client, authentication);
    if (!rememberDevice || this.options.rememberDeviceSeconds === 0) return pair;
    return { ...pair, deviceToken: await this.remember(user.id, now) };
  }

  /**
   * The user of a live challenge token (unspent, unexpired, not dead).
   * @throws AuthError `TOKEN_INVALID` / `TOKEN_EXPIRED` otherwise.
   */
  async challengedUser(mfaToken: string): Promise<string> {
    return (await this.liveChallenge(mfaToken)).user.id;
  }

  private async liveChallenge(mfaToken: string) {
    const claims = this.challenges.verify(mfaToken);
    const [challenge, user] = await Promise.all([
      this.store.findChallenge(claims.jti),
      this.users.findById(claims.sub),
    ]);
    if (
      !challenge ||
      !user ||
      challenge.userId !== user.id ||
      challenge.spentAt !== null ||
      challenge.failures >= MAX_CHALLENGE_FAILURES ||
      challenge.expiresAt <= this.now()
    ) {
      throw new AuthError('TOKEN_INVALID', 'mfa challenge spent, dead or unknown');
    }
    return { challenge, user };
  }

  /** A new remembered device of the user: its token, stored as a keyed hash only. */
  private async remember(userId: string, now: number): Promise<string> {
    const deviceToken = randomBytes(32).toString('base64url');
    await this.store.rememberDevice({
      id: randomUUID(),
      userId,
      tokenHash: this.seal.hash(deviceToken),
      createdAt: now,
      expiresAt: now + this.options.rememberDeviceSeconds * 1000,
    });
    this.events.emit({ type: 'mfa.device_remembered', userId });
    return deviceToken;
  }

  /**
   * Re-authenticates the caller's session with a TOTP code or a passkey: fresh `auth_time`, `acr` `aal2`.
   * @throws AuthError `INVALID_MFA_CODE` (counted as a failed login), `RATE_LIMITED`, `MFA_NOT_ENABLED`.
   */
  async reauthenticate(
    caller: AuthUser,
    proof: { code: string } | { passkey: unknown },
    client: ClientInfo,
  ): Promise<TokenPair> {
    const user = await this.userOf(caller);
    if ('code' in proof) {
      const factor = await this.store.findTotp(user.id);
      if (factor?.enabledAt == null) throw new AuthError('MFA_NOT_ENABLED');
    }
    await this.failedLogins.assertMayTry(user.email);
    const methods = await this.proves(user, proof, client);
    if (methods === false) throw new AuthError('INVALID_MFA_CODE');
    await this.failedLogins.recordSuccess(user.email);
    return this.auth.reauthenticate(caller, { methods: [...methods, 'mfa'], level: 'aal2' });
  }

  /**
   * A password reset of a user with a second factor needs it too (the mailbox alone must not undo the factor).
   * Nothing for a user without one.
   * @throws AuthError `MFA_REQUIRED` (400) without `code` or `recoveryCode`; `INVALID_MFA_CODE` (400) for a wrong
   * one, counted as a failed login; `RATE_LIMITED`.
   */
  async assertResetMayProceed(user: UserRecord, extras: PasswordResetExtras): Promise<void> {
    const factor = await this.store.findTotp(user.id);
    const totp = factor?.enabledAt != null;
    // A passkey is a second factor too (another feature's): a mailed link alone must not bypass it either.
    const others = totp ? [] : await this.hooks.secondFactorsOf(user.id);
    if (!totp && others.length === 0) return;
    const { code, recoveryCode, passkey } = extras;
    if (code === undefined && recoveryCode === undefined && passkey === undefined) {
      throw new AuthError('MFA_REQUIRED', {
        invalidInput: true,
        message: totp
          ? 'Second factor required: send code or recoveryCode with the new password'
          : 'Second factor required: send passkey (an assertion) with the new password',
      });
    }
    await this.failedLogins.assertMayTry(user.email);
    const proof: SecondFactorProof =
      passkey !== undefined
        ? { passkey }
        : code !== undefined
          ? { code }
          : { recoveryCode: recoveryCode ?? '' };
    if ((await this.proves(user, proof, {})) === false) {
      throw new AuthError('INVALID_MFA_CODE', { invalidInput: true });
    }
    await this.failedLogins.recordSuccess(user.email);
  }

  /**
   * Refuses a caller whose session authenticated more than `stepUpMaxAge` seconds ago (ASVS 5.0 7.5.1).
   * @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` with `maxAge`.
   */
  assertRecent(caller: AuthUser): void {
    const shortfall = authenticationShortfall(
      caller,
      { maxAge: this.options.stepUpMaxAge },
      this.nowSeconds(),
    );
    if (shortfall) throw shortfall;
  }

  /**
   * The `amr` values `proof` stands for when it holds for `user` (spending what it spends), else false: a failure is
   * counted and told.
   */
  private async proves(
    user: UserRecord,
    proof: SecondFactorProof,
    client: ClientInfo,
  ): Promise<readonly string[] | false> {
    const held =
      'passkey' in proof
        ? await this.otherFactorHolds(user, proof.passkey, client)
        : ('code' in proof
            ? await this.totpHolds(user, proof.code)
            : await this.recoveryHolds(user, proof.recoveryCode)) && ['otp'];
    if (held === false) {
      await this.failedLogins.recordFailure(user.email);
      this.events.emit({ type: 'mfa.failed', userId: user.id, ...client });
    }
    return held;
  }

  /**
   * A passkey's assertion, checked by the feature holding passkeys (a hook), so that this feature names none.
   * @throws AuthError `VALIDATION_FAILED` when no registered feature checks passkeys.
   */
  private async otherFactorHolds(
    user: UserRecord,
    value: unknown,
    client: ClientInfo,
  ): Promise<readonly string[] | false> {
    const verdict = await this.hooks.secondFactorProved(user, { method: 'passkey', value, client });
    if (verdict === undefined) {
      throw new AuthError('VALIDATION_FAILED', { message: ['passkeys are not enabled here'] });
    }
    return verdict;
  }

  private async totpHolds(user: UserRecord, code: string): Promise<boolean> {
    const factor = await this.store.findTotp(user.id);
    if (factor?.enabledAt == null) return false;
    const step = matchingStep(
      this.seal.open(factor.sealedSecret, user.id),
      code,
      this.nowSeconds(),
    );
    // Spent by one conditional write: the same code again, here or on another instance, is refused.
    return step !== undefined && (await this.store.useTotpStep(user.id, step));
  }

  private async recoveryHolds(user: UserRecord, typed: string): Promise<boolean> {
    const hash = this.seal.hash(normalizeRecoveryCode(typed));
    if (!(await this.store.useRecoveryCode(user.id, hash, this.now()))) return false;
    const codesLeft = await this.store.countRecoveryCodes(user.id);
    this.events.emit({ type: 'mfa.recovery_code_used', userId: user.id, codesLeft });
    return true;
  }

  private async userOf(caller: AuthUser): Promise<UserRecord> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new AuthError('TOKEN_INVALID', 'its user is gone');
    return user;
  }

  private now(): number {
    return this.clock.now();
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}
