import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailOutboxWorker } from '../src/auth/features/account-mail';
import { decodeJwt } from './support/jwt-forge';
import { registerAndLogin, sql, startTestApp, type TestApp, uniqueEmail } from './support/test-app';

/**
 * CONTRACT §4.12: a forgotten password answers alike, in body and time, whether or not the address has an account,
 * and so do the requests right after it. The lookup and the writes run off the request path, in a batch 100 ms
 * later: on SQLite a known address's writes block the event loop, which done at once slowed the next request
 * (bench/http.bench.mjs, BENCH_ONLY=forgot, measures that next request after a known and an unknown address, and
 * the slowest request overlapping the batch). The mail itself leaves at the worker's next poll, not at once: its
 * sending was most of that cost, and done right after the batch it showed in the requests overlapping it.
 */
describe('a forgotten password costs the requests around it nothing that depends on the address', () => {
  let app: TestApp;
  const outbox = mkdtempSync(join(tmpdir(), 'forgot-timing-'));
  beforeAll(async () => {
    app = await startTestApp({
      THROTTLE_AUTH_LIMIT: '100000',
      // A worker that polls, but not during the test: whatever it sends meanwhile, something woke it.
      MAIL_POLL_INTERVAL: '600000',
      MAIL_OUTBOX_DIR: outbox,
      EMAIL_VERIFICATION: 'off',
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  const pendingMails = async () => {
    const [row] = await sql<Array<{ n: number | string }>>(
      app,
      'SELECT COUNT(*) AS n FROM auth_mail_outbox WHERE attempts = 0',
    );
    return Number(row.n);
  };

  async function resetTokens(userId: string): Promise<number> {
    const [row] = await sql<Array<{ n: number | string }>>(
      app,
      "SELECT COUNT(*) AS n FROM auth_mail_tokens WHERE user_id = ? AND purpose = 'password_reset'",
      [userId],
    );
    return Number(row.n);
  }

  it('answers, and serves the next requests, before any work for the address is done; the link comes later', async () => {
    const user = await registerAndLogin(app);
    const userId = decodeJwt(user.accessToken).payload.sub as string;

    const known = await app.http().post('/auth/password/forgot').send({ email: user.email });
    const unknown = await app
      .http()
      .post('/auth/password/forgot')
      .send({ email: uniqueEmail('nobody') });
    const next = await app.http().get('/health');

    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(next.status).toBe(200);
    // Nothing of the known address's work has run yet: no lookup's write reached the database.
    expect(await resetTokens(userId)).toBe(0);

    const deadline = Date.now() + 5000;
    while ((await resetTokens(userId)) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await resetTokens(userId)).toBe(1);
    // The mail waits for the worker's poll: nothing woke the worker when the batch queued it (it would have
    // claimed the mail within milliseconds).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await pendingMails()).toBe(1);
    await app.app.get(MailOutboxWorker).drain();
    expect(await pendingMails()).toBe(0);
  });
});
