import { resolveAuthOptions } from '../../core/options/resolve-auth-options';
import type { AuthUser } from '../../core/model/auth.types';
import { ManualClock } from '../../core/clock/manual-clock';
import { AuthEvents } from '../../core/events/auth-events';
import { InMemoryMailStore } from './in-memory-mail.store';
import { MailOutboxWorker } from './mail-outbox.worker';
import type { Mailer, OutgoingMail } from './mailer.port';
import { hashMailToken } from './mail-token';
import { CurrentPasswordCheck } from '../../core/accounts/current-password-check';
import { FailedLogins } from '../../core/throttling/failed-logins';
import { InMemoryFailedLoginStore } from '../../core/throttling/in-memory-failed-login.store';
import { PasswordService } from '../../core/passwords/password.service';
import { InMemoryRevocationList } from '../../core/revocation/in-memory-revocation-list';
import { InMemorySessionStore } from '../../testing/in-memory-session.store';
import { InMemoryUserStore } from '../../testing/in-memory-user.store';
import { resolveMailOptions } from './account-mail.options';
import { AccountLifecycle } from './account-lifecycle';
import { HookRunner } from '../../core/hooks/hook-runner';
import type { AuthHooks } from '../../core/hooks/hooks';
import { AuthError } from '../../core/errors/auth-error';
import { MailQuota } from './mail-quota';
import { ClockedThrottlerStorage } from '../../http/throttling/clocked-throttler.storage';

const PASSWORD = 'a quiet unit-test passphrase';

/** The mail tokens of AccountLifecycle, on in-memory stores, a clock moved by hand and a mailer that keeps mail. */
describe('AccountLifecycle mail tokens', () => {
  let clock: ManualClock;
  let users: InMemoryUserStore;
  let store: InMemoryMailStore;
  let sent: OutgoingMail[];
  let worker: MailOutboxWorker;
  let revocations: InMemoryRevocationList;
  let lifecycle: AccountLifecycle;
  let user: AuthUser;
  /** The features' hooks the lifecycle runs (read at first use). */
  let hooks: AuthHooks[];

  beforeEach(async () => {
    const options = resolveAuthOptions({
      jwtSecret: 'unit-access-secret-0123456789abcdefghij',
      jwtRefreshSecret: 'unit-refresh-secret-0123456789abcdefghij',
      bcryptRounds: 4,
      allowWeakSettings: true,
    });
    clock = new ManualClock(1_800_000_000_000);
    hooks = [];
    users = new InMemoryUserStore();
    store = new InMemoryMailStore();
    sent = [];
    const mailer: Mailer = { send: (mail) => Promise.resolve(void sent.push(mail)) };
    const mailOptions = resolveMailOptions({ appUrl: 'https://app.example/' });
    worker = new MailOutboxWorker(options, mailOptions, store, mailer);
    revocations = new InMemoryRevocationList(clock);
    const passwords = new PasswordService(options);
    const sessions = new InMemorySessionStore();
    const events = new AuthEvents();
    lifecycle = new AccountLifecycle(
      options,
      mailOptions,
      users,
      sessions,
      revocations,
      clock,
      store,
      worker,
      passwords,
      new CurrentPasswordCheck(
        passwords,
        new FailedLogins(clock, new InMemoryFailedLoginStore(), (email) => email),
      ),
      events,
      new HookRunner(() => hooks),
      new MailQuota(options, mailOptions, new ClockedThrottlerStorage(clock)),
    );
    const record = await users.create({
      email: 'ada@example.com',
      passwordHash: await passwords.hash(PASSWORD),
      roles: ['user'],
      createdAt: new Date(clock.now()),
    });
    user = { id: record.id, email: record.email, roles: record.roles, sessionId: 'none' };
  });

  afterEach(() => revocations.onModuleDestroy());

  /** Sends what is queued and returns the token of the latest link to `page`. */
  async function latestToken(page: string): Promise<string> {
    await worker.drain();
    const mail = sent.at(-1);
    const match = new RegExp(`https://app\\.example/${page}\\?token=([\\w-]+)`).exec(
      mail?.text ?? '',
    );
    if (!match) throw new Error(`no ${page} link in the last mail`);
    return match[1];
  }

  const invalid = expect.objectContaining({ code: 'INVALID_MAIL_TOKEN' });

  it('issues a token of at least 128 random bits, linked from APP_URL and stored only as its SHA-256', async () => {
    const issue = jest.spyOn(store, 'issue');
    await lifecycle.requestVerification(user);
    const token = await latestToken('verify-email');

    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const [stored] = issue.mock.calls[0];
    expect(stored.hash).toBe(hashMailToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(sent.at(-1)).toMatchObject({
      to: 'ada@example.com',
      subject: 'Verify your email address',
    });
    expect(sent.at(-1)?.html).toContain(`href="https://app.example/verify-email?token=${token}"`);
  });

  it('takes a token once', async () => {
    await lifecycle.requestVerification(user);
    const token = await latestToken('verify-email');
    await lifecycle.verifyEmail(token);
    await expect(lifecycle.verifyEmail(token)).rejects.toEqual(invalid);
    expect((await users.findById(user.id))?.emailVerified).toBe(true);
  });

  it('refuses a token from its expiry on, not a millisecond before', async () => {
    await lifecycle.forgotPasswordNow('ada@example.com');
    const token = await latestToken('reset-password');
    clock.advance(1800 * 1000 - 1);
    await lifecycle.resetPassword(token, 'the next passphrase');

    await lifecycle.forgotPasswordNow('ada@example.com');
    const late = await latestToken('reset-password');
    clock.advance(1800 * 1000);
    await expect(lifecycle.resetPassword(late, 'the next passphrase')).rejects.toEqual(invalid);
  });

  it('voids the older tokens of a purpose when a new one is issued, not those of another purpose', async () => {
    await lifecycle.requestVerification(user);
    const verification = await latestToken('verify-email');
    await lifecycle.forgotPasswordNow('ada@example.com');
    const first = await latestToken('reset-password');
    await lifecycle.forgotPasswordNow('ada@example.com');
    const second = await latestToken('reset-password');

    await expect(lifecycle.resetPassword(first, 'the next passphrase')).rejects.toEqual(invalid);
    await lifecycle.resetPassword(second, 'the next passphrase');
    await lifecycle.verifyEmail(verification);
  });

  it('refuses a token of another purpose without spending it', async () => {
    await lifecycle.forgotPasswordNow('ada@example.com');
    const token = await latestToken('reset-password');
    await expect(lifecycle.verifyEmail(token)).rejects.toEqual(invalid);
    await expect(lifecycle.confirmEmailChange(token)).rejects.toEqual(invalid);
    await lifecycle.resetPassword(token, 'the next passphrase');
  });

  it('keeps a reset token usable when the new password breaks the policy', async () => {
    await lifecycle.forgotPasswordNow('ada@example.com');
    const token = await latestToken('reset-password');
    await expect(lifecycle.resetPassword(token, 'short')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await lifecycle.resetPassword(token, 'the next passphrase');
  });

  it('asks passwordResetting before spending the link: a refusal leaves it usable; then tells signInsForgotten', async () => {
    const seen: string[] = [];
    let refuse = true;
    hooks = [
      {
        passwordResetting: (resetting, extras) => {
          seen.push(`${resetting.email} ${extras.code ?? '-'}`);
          if (refuse) throw new AuthError('MFA_REQUIRED', { invalidInput: true });
        },
        signInsForgotten: (userId, reason) => void seen.push(`${userId === user.id} ${reason}`),
      },
    ];
    await lifecycle.forgotPasswordNow('ada@example.com');
    const token = await latestToken('reset-password');

    await expect(lifecycle.resetPassword(token, 'the next passphrase')).rejects.toMatchObject({
      code: 'MFA_REQUIRED',
    });
    refuse = false;
    await lifecycle.resetPassword(token, 'the next passphrase', { code: '123456' });

    expect(seen).toEqual(['ada@example.com -', 'ada@example.com 123456', 'true password_reset']);
  });

  it('voids every token of a user whose account is forgotten', async () => {
    await lifecycle.requestVerification(user);
    const token = await latestToken('verify-email');
    await lifecycle.forgetUser(user.id);
    await expect(lifecycle.verifyEmail(token)).rejects.toEqual(invalid);
  });

  it('queues nothing for an unknown address', async () => {
    await lifecycle.forgotPasswordNow('nobody@example.com');
    await worker.drain();
    expect(sent).toEqual([]);
  });

  it('never puts a password into a mail', async () => {
    await lifecycle.requestEmailChange(user, 'ada@example.org', PASSWORD);
    await worker.drain();
    expect(sent.map((mail) => mail.to).sort()).toEqual(['ada@example.com', 'ada@example.org']);
    for (const mail of sent) expect(JSON.stringify(mail)).not.toContain(PASSWORD);
  });
});
