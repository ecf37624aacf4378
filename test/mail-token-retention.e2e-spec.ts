import { SessionPruner } from '../src/auth/stores';
import { mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import { decodeJwt } from './support/jwt-forge';
import { registerAndLogin, sql } from './support/test-app';

/**
 * docs/security.md: spent, voided and expired mail tokens do not pile up. The account-mail feature registers its
 * store as prunable (`FeatureParts.prunables`) and the module's pruner deletes them on its schedule, after the
 * sessions; a live link survives until it expires. A run is started with `pruneNow()`; the clock is the test's.
 */
describe('retention of mail tokens', () => {
  const RESET_TTL_SECONDS = 1800;
  const app = mailTestApp({
    THROTTLE_AUTH_LIMIT: '100000',
    EMAIL_VERIFICATION: 'optional',
    PASSWORD_RESET_TTL: String(RESET_TTL_SECONDS),
    EMAIL_TOKEN_TTL: String(2 * RESET_TTL_SECONDS),
  });
  const { sink } = app;

  async function tokens(...userIds: string[]): Promise<Array<{ purpose: string; live: boolean }>> {
    const rows = await sql<Array<{ purpose: string; used_at: unknown }>>(
      app,
      `SELECT purpose, used_at FROM auth_mail_tokens WHERE user_id IN (${userIds.map(() => '?').join(', ')})`,
      userIds,
    );
    return rows
      .map((row) => ({ purpose: row.purpose, live: row.used_at === null }))
      .sort((a, b) => a.purpose.localeCompare(b.purpose) || Number(a.live) - Number(b.live));
  }
  const idOf = (accessToken: string) => decodeJwt(accessToken).payload.sub as string;

  it('deletes spent and voided tokens at the next run, expired ones once expired, and keeps live ones', async () => {
    const user = await registerAndLogin(app);
    // Another user, whose verification link stays live.
    const other = await registerAndLogin(app);
    const ids = [idOf(user.accessToken), idOf(other.accessToken)];
    // Registration's verification link, spent.
    const verification = tokenOf(await sink.waitFor(user.email), 'verify-email');
    await app.http().post('/auth/verify-email').send({ token: verification }).expect(204);
    // Two resets: the first is voided by the second, which stays live.
    for (let request = 0; request < 2; request += 1) {
      await app.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
    }
    const deadline = Date.now() + 10_000;
    while ((await tokens(...ids)).length < 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await tokens(...ids)).toEqual([
      { purpose: 'password_reset', live: false },
      { purpose: 'password_reset', live: true },
      { purpose: 'verify_email', live: false },
      { purpose: 'verify_email', live: true },
    ]);

    await app.app.get(SessionPruner).pruneNow();

    expect(await tokens(...ids)).toEqual([
      { purpose: 'password_reset', live: true },
      { purpose: 'verify_email', live: true },
    ]);

    // The reset link expires first; the verification link lives twice as long.
    app.clock.advance(RESET_TTL_SECONDS * 1000);
    await app.app.get(SessionPruner).pruneNow();
    expect(await tokens(...ids)).toEqual([{ purpose: 'verify_email', live: true }]);

    app.clock.advance(RESET_TTL_SECONDS * 1000);
    await app.app.get(SessionPruner).pruneNow();
    expect(await tokens(...ids)).toEqual([]);
  });
});
