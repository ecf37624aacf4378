import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { MAIL_OPTIONS, type ResolvedMailOptions } from './account-mail.options';
import type { AuthUser } from '../../core/model/auth.types';
import { CLOCK, type Clock } from '../../core/clock/clock';
import { AuthError } from '../../core/errors/auth-error';
import { AuthEvents } from '../../core/events/auth-events';
import { HookRunner } from '../../core/hooks/hook-runner';
import type { PasswordResetExtras } from '../../core/hooks/hooks';
import { errorMessage } from '../../core/logging/log-line';
import { MailComposer } from './mail-composer';
import { MailQuota } from './mail-quota';
import { LaterBatch } from './later-batch';
import { MAIL_STORE, type MailStore, type SpentMailToken } from './mail-store.port';
import { MailOutboxWorker } from './mail-outbox.worker';
import { hashMailToken, type MailTokenPurpose, newMailToken } from './mail-token';
import { passwordPolicyViolation } from '../../core/passwords/password-policy';
import { PasswordService } from '../../core/passwords/password.service';
import { CurrentPasswordCheck } from '../../core/accounts/current-password-check';
import { REVOCATION_LIST, type RevocationList } from '../../core/model/revocation-list.port';
import { SessionRevoker } from '../../core/sessions/session-revoker';
import { SESSION_STORE, type SessionStore } from '../../core/model/session-store.port';
import { emailCharacterProblem } from '../../core/users/email-address';
import {
  EmailTakenError,
  normalizeEmail,
  USER_STORE,
  type UserRecord,
  type UserEmailStore,
  type UserStore,
} from '../../core/model/user-store.port';

/**
 * The account lifecycle by mail (docs/mail.md: Account lifecycle and mail): verification, password reset, email change.
 * Each link holds a fresh random token stored as its SHA-256, bound to one user and purpose, single-use, expiring,
 * and voiding the older ones of its purpose; its mail is queued in the same transaction and sent by the outbox
 * worker, never during the request.
 */
@Injectable()
export class AccountLifecycle implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AuthService');
  private readonly listeners: (() => void)[] = [];
  /** Forgotten passwords, worked through off the request path (see LaterBatch). */
  private readonly forgotten = new LaterBatch<string>(
    (email) => this.forgotPasswordNow(email),
    (problem) => this.logger.warn(`Password reset mail not queued: ${problem}`),
  );
  private readonly revoker: SessionRevoker;
  private readonly composer: MailComposer;

  constructor(
    @Inject(AUTH_OPTIONS) authOptions: ResolvedAuthOptions,
    @Inject(MAIL_OPTIONS) private readonly options: ResolvedMailOptions,
    // Checked at boot: the feature declares markEmailVerified and updateEmail (see accountMail()).
    @Inject(USER_STORE) private readonly users: UserStore & UserEmailStore,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    @Inject(REVOCATION_LIST) revocations: RevocationList,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MAIL_STORE) private readonly mail: MailStore,
    private readonly worker: MailOutboxWorker,
    private readonly passwords: PasswordService,
    private readonly currentPassword: CurrentPasswordCheck,
    private readonly events: AuthEvents,
    private readonly hooks: HookRunner,
    private readonly quota: MailQuota,
  ) {
    this.revoker = new SessionRevoker({ options: authOptions, sessions, revocations, events });
    this.composer = new MailComposer(options, worker.outboxSeal);
  }

  /**
   * Mails the user a notice whenever a second factor is enrolled or removed (by whatever feature: it tells through
   * the module's events, and no feature imports another).
   */
  onModuleInit(): void {
    this.listeners.push(
      this.events.on('mfa.enrolled', ({ userId, method }) =>
        this.notify(userId, 'second_factor_enrolled', method),
      ),
      this.events.on('mfa.removed', ({ userId, method }) =>
        this.notify(userId, 'second_factor_removed', method),
      ),
    );
  }

  /** Stops listening, and drops the forgotten passwords not worked through yet: the app is stopping. */
  onModuleDestroy(): void {
    for (const off of this.listeners.splice(0)) off();
    this.forgotten.stop();
  }

  /** Queues a notice (no link) to the user's address; a failure is logged, never thrown at the emitter. */
  private notify(
    userId: string,
    change: 'second_factor_enrolled' | 'second_factor_removed',
    method: string,
  ): void {
    void (async () => {
      const user = await this.users.findById(userId);
      if (!user) return;
      await this.mail.enqueue(
        [this.composer.securityNotice({ email: user.email, change, method })],
        Date.now(),
      );
      this.worker.wake();
    })().catch((error: unknown) =>
      this.logger.warn(`Security notice not queued for user ${userId}: ${errorMessage(error)}`),
    );
  }

  /**
   * After a registration: queues the verification mail unless `emailVerification` is `off`, within the address's
   * quota (registering, deleting and registering again must not flood a mailbox). Never fails the registration (the
   * account exists; the user can ask again): a failure or a full quota is logged.
   */
  async afterRegistration(user: Pick<UserRecord, 'id' | 'email'>): Promise<void> {
    if (this.options.emailVerification === 'off') return;
    try {
      await this.quota.take('verify_email', user.email);
      await this.issue(user, 'verify_email', this.options.emailTokenTtl);
    } catch (error) {
      this.logger.warn(`Verification mail not queued for user ${user.id}: ${errorMessage(error)}`);
    }
  }

  /** With `emailVerification: 'required'`, refuses the login of an unverified account (after its password held). */
  assertMayLogIn(user: UserRecord): void {
    if (this.options.emailVerification === 'required' && user.emailVerified !== true) {
      throw new AuthError('EMAIL_NOT_VERIFIED');
    }
  }

  /**
   * Queues a new verification mail to the caller's address, voiding the links sent before. Does nothing when the
   * address is verified already or `emailVerification` is `off`: the answer is the same.
   * @throws AuthError `TOKEN_INVALID` when the user is gone; `RATE_LIMITED` past the address's quota.
   */
  async requestVerification(caller: AuthUser): Promise<void> {
    const user = await this.currentUser(caller);
    if (this.options.emailVerification === 'off' || user.emailVerified === true) return;
    await this.quota.take('verify_email', user.email);
    await this.issue(user, 'verify_email', this.options.emailTokenTtl);
  }

  /** @throws AuthError `INVALID_MAIL_TOKEN`. */
  async verifyEmail(token: string): Promise<void> {
    const { user } = await this.spend(token, 'verify_email');
    await this.users.markEmailVerified(user.id);
    this.events.emit({ type: 'email.verified', userId: user.id, email: user.email });
  }

  /**
   * Queues a reset mail when `email` has an account, and nothing otherwise. The caller answers at once, before any of
   * it: the lookup and the writes happen later, in a batch off the request path (LaterBatch: 100 ms after the
   * first request of the batch), so the answer's body and time, and those of the requests right after it, are the
   * same for a known and an unknown address. Only the address's quota is taken first, alike for both (the address
   * as it would be delivered to). A failure is logged (without the address's token, of course).
   * @throws AuthError `RATE_LIMITED` past the address's quota.
   */
  async forgotPassword(email: string): Promise<void> {
    await this.quota.take('password_reset', email);
    this.forgotten.push(email);
  }

  /**
   * Sets a new password with a reset token: the address counts as verified (the mail reached it), and every session
   * of the user is revoked at once. The policy is checked before the token is spent, so a refused password leaves
   * the link usable, and so does a feature's refusal (`passwordResetting`: a second factor asked for, with `extras`).
   * @throws AuthError `VALIDATION_FAILED` when `newPassword` breaks the policy, `INVALID_MAIL_TOKEN`; what a hook
   * throws (`MFA_REQUIRED`, `INVALID_MFA_CODE` of the mfa feature).
   */
  async resetPassword(
    token: string,
    newPassword: string,
    extras: PasswordResetExtras = {},
  ): Promise<void> {
    const violation = passwordPolicyViolation(newPassword);
    if (violation !== undefined) {
      throw new AuthError('VALIDATION_FAILED', { message: [`newPassword ${violation}`] });
    }
    // The features' checks (a second factor) come before the link is spent: a refusal leaves it usable.
    const pending = await this.mail.find(hashMailToken(token), 'password_reset', this.clock.now());
    const owner = pending ? await this.users.findById(pending.userId) : null;
    if (!owner) throw new AuthError('INVALID_MAIL_TOKEN');
    await this.hooks.passwordResetting(owner, extras);
    const { user } = await this.spend(token, 'password_reset');
    const passwordHash = await this.passwords.hash(newPassword);
    const now = this.clock.now();
    // Sessions first: if the hash update then fails, the user is signed out, never left exposed.
    const revoked = await this.sessions.revokeUserSessions(user.id, 'password_reset', now);
    await this.revoker.revoke(user.id, revoked, 'password_reset', now, true);
    await this.users.updatePasswordHash(user.id, passwordHash);
    // Whatever was authorized with the old password (a pending email change) dies with it.
    await this.users.bumpCredentialEpoch(user.id);
    if (user.emailVerified !== true) await this.users.markEmailVerified(user.id);
    await this.hooks.signInsForgotten(user.id, 'password_reset');
    this.events.emit({ type: 'password.reset', userId: user.id });
  }

  /**
   * Queues a confirmation link to `newEmail` and a notice (no link) to the current address; nothing changes until
   * the link is opened.
   * @throws AuthError `WRONG_CURRENT_PASSWORD`, `RATE_LIMITED` while the account waits (the current password is
   *   checked within the login's budget: CurrentPasswordCheck); `EMAIL_TAKEN` for a `newEmail` taken; `VALIDATION_FAILED` when
   *   `newEmail` is the current address; `RATE_LIMITED` past the quota of either address (the link's, the notice's).
   */
  async requestEmailChange(
    caller: AuthUser,
    newEmail: string,
    currentPassword: string,
  ): Promise<void> {
    const user = await this.currentUser(caller);
    await this.currentPassword.assert(user, currentPassword);
    const email = normalizeEmail(newEmail);
    if (email === user.email) {
      throw new AuthError('VALIDATION_FAILED', {
        message: ['newEmail must differ from the current address'],
      });
    }
    if (await this.users.findByEmail(email)) throw new AuthError('EMAIL_TAKEN');
    await this.quota.take('email_change', email);
    await this.quota.take('email_change_notice', user.email);
    const ttl = this.options.emailTokenTtl;
    await this.issue(user, 'email_change', ttl, email, [
      this.composer.emailChangeNotice(user.email, email),
    ]);
  }

  /**
   * Changes the address to the one the token was issued for, and marks it verified.
   * @throws AuthError `INVALID_MAIL_TOKEN`; `EMAIL_TAKEN` when the address was taken meanwhile.
   */
  async confirmEmailChange(token: string): Promise<void> {
    const { user, spent } = await this.spend(token, 'email_change');
    if (!spent.newEmail) throw new AuthError('INVALID_MAIL_TOKEN');
    try {
      await this.users.updateEmail(user.id, spent.newEmail);
    } catch (error) {
      if (error instanceof EmailTakenError) throw new AuthError('EMAIL_TAKEN');
      throw error;
    }
    // Every other link went to, or was authorized by, the address that is no longer the account's: void them, so
    // they stay dead even should that address come back.
    await this.mail.voidUserTokens(user.id, this.clock.now());
    this.events.emit({
      type: 'email.changed',
      userId: user.id,
      previousEmail: user.email,
      email: spent.newEmail,
    });
  }

  /** Removes every mail token of a user whose account is deleted: none of their links works any more. */
  forgetUser(userId: string): Promise<void> {
    return this.mail.deleteUserTokens(userId);
  }

  /** What {@link forgotPassword} does after the answer, awaited: for tests, and hosts calling it from a job. */
  async forgotPasswordNow(email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    // No stored address holds such a character (registration refuses them), and PostgreSQL fails on a NUL.
    if (emailCharacterProblem(normalized) !== undefined) return;
    const user = await this.users.findByEmail(normalized);
    // The mail waits for the worker's next poll (MAIL_POLL_INTERVAL), not woken now: its sending is most of a
    // registered address's cost on the event loop (claim, compose, send, record: 85-90% of it in the bench), and
    // done right after the batch it told a client probing for 250 ms a registered address from an unknown one. On
    // the poll's schedule it runs at a time that depends on no request, beside every other mail.
    if (user)
      await this.issue(user, 'password_reset', this.options.passwordResetTtl, undefined, [], false);
  }

  /**
   * Stores a new token of `purpose` (voiding the older ones), bound to the account's address and credential epoch
   * of now, and queues its mail, plus `extra` mails, together; `wake`: the worker sends them now, not at its next
   * poll.
   */
  private async issue(
    user: Pick<UserRecord, 'id' | 'email' | 'credentialEpoch'>,
    purpose: MailTokenPurpose,
    ttlSeconds: number,
    newEmail?: string,
    extra: string[] = [],
    wake = true,
  ): Promise<void> {
    const { token, hash } = newMailToken();
    const now = this.clock.now();
    const to = newEmail ?? user.email;
    const mail = this.composer.linkMail(purpose, to, token, ttlSeconds);
    await this.mail.issue(
      {
        hash,
        userId: user.id,
        purpose,
        newEmail,
        accountEmail: user.email,
        credentialEpoch: user.credentialEpoch ?? 0,
        createdAt: now,
        expiresAt: now + ttlSeconds * 1000,
      },
      [mail, ...extra],
      Date.now(),
    );
    if (wake) this.worker.wake();
  }

  /**
   * Spends a token of `purpose` and answers its user, when the token was valid and is still bound to the account
   * as it is: the address it was sent to (or, for an email change, sent from) is still the account's, and, for a
   * reset or an email change, no credential ended since it was sent (a password change or reset, a disabling, a
   * sign-out everywhere). A verification link authorizes no change of the account, only the proof of its mailbox:
   * the address binding is its whole check.
   * @throws AuthError `INVALID_MAIL_TOKEN` otherwise (the token is spent all the same).
   */
  private async spend(
    token: string,
    purpose: MailTokenPurpose,
  ): Promise<{ user: UserRecord; spent: SpentMailToken }> {
    const spent = await this.mail.consume(hashMailToken(token), purpose, this.clock.now());
    const user = spent ? await this.users.findById(spent.userId) : null;
    if (
      !spent ||
      !user ||
      spent.accountEmail !== user.email ||
      (purpose !== 'verify_email' && spent.credentialEpoch !== (user.credentialEpoch ?? 0))
    ) {
      throw new AuthError('INVALID_MAIL_TOKEN');
    }
    return { user, spent };
  }

  private async currentUser(caller: AuthUser): Promise<UserRecord> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new AuthError('TOKEN_INVALID', 'its user is gone');
    return user;
  }
}
