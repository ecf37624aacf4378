import { decodeJwt } from './support/jwt-forge';
import { bearer, registerAndLogin, sql, startTestApp, type TestApp } from './support/test-app';

/**
 * CONTRACT §4.12: "a new request of the same purpose voids older ones", also when the requests arrive together. On
 * PostgreSQL each request runs on a connection of its own, so a read-then-write would let every request void what it
 * saw and leave its own link live; a constraint keeps one unspent token per user and purpose.
 */
describe('only the latest mail link is live, whatever the races', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '100000' });
  });
  afterAll(() => app.close());

  const PARALLEL = 16;

  async function count(userId: string, purpose: string, condition = '1 = 1'): Promise<number> {
    const [row] = await sql<Array<{ n: number | string }>>(
      app,
      `SELECT COUNT(*) AS n FROM auth_mail_tokens WHERE user_id = ? AND purpose = ? AND ${condition}`,
      [userId, purpose],
    );
    return Number(row.n);
  }
  const liveTokens = (userId: string, purpose: string) => count(userId, purpose, 'used_at IS NULL');

  /** Waits until `total` tokens were stored (a forgotten password's link is stored after the answer). */
  async function stored(userId: string, purpose: string, total: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await count(userId, purpose)) < total && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await count(userId, purpose)).toBe(total);
  }

  it(`leaves one live reset link after ${PARALLEL} parallel requests for the address`, async () => {
    const user = await registerAndLogin(app);
    const userId = decodeJwt(user.accessToken).payload.sub as string;
    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          app.http().post('/auth/password/forgot').send({ email: user.email }),
        ),
      );

      expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL).fill(202));
      await stored(userId, 'password_reset', PARALLEL * (round + 1));
      expect(await liveTokens(userId, 'password_reset')).toBe(1);
    }
  });

  it(`leaves one live verification link after ${PARALLEL} parallel requests of the user`, async () => {
    const user = await registerAndLogin(app);
    const userId = decodeJwt(user.accessToken).payload.sub as string;

    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        app
          .http()
          .post('/auth/verify-email/request')
          .set(...bearer(user.accessToken)),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL).fill(202));
    // Registration mailed one link already.
    await stored(userId, 'verify_email', PARALLEL + 1);
    expect(await liveTokens(userId, 'verify_email')).toBe(1);
  });
});
