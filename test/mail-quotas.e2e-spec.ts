import { decodeJwt } from './support/jwt-forge';
import { bearer, PASSWORD, sql, startTestApp, type TestApp, uniqueEmail } from './support/test-app';

/**
 * CONTRACT §4.12: the mail endpoints are limited per client and per address. The per-address bucket is shared by
 * every client, so it reports nothing of itself: the `X-RateLimit-*` headers a client reads are its own. It counts
 * the mails to one mailbox, keyed on the recipient as it will be delivered, on every path that sends mail, never on
 * what a body claims before validation.
 */
describe('the quotas of the mail routes', () => {
  const LIMIT = 6;
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: String(LIMIT), TRUST_PROXY: 'true' });
  });
  afterAll(() => app.close());

  const forgot = (client: string, email: string) =>
    app.http().post('/auth/password/forgot').set('X-Forwarded-For', client).send({ email });

  describe('a bucket shared by every client reports nothing of itself', () => {
    it("shows each client its own counts, never the address's, until the address refuses with Retry-After", async () => {
      const address = uniqueEmail('shared');
      // Another client uses up most of the address' quota.
      for (let request = 0; request < LIMIT - 1; request += 1) {
        expect((await forgot('198.51.100.10', address)).status).toBe(202);
      }

      const mine = await forgot('198.51.100.11', address);

      expect(mine.status).toBe(202);
      expect(mine.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      // This client's first request: its own bucket, not the address' (now used up).
      expect(mine.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
      const again = await forgot('198.51.100.11', uniqueEmail('other'));
      expect(again.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 2));

      const refused = await forgot('198.51.100.12', address);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
    });
  });

  let clients = 0;
  /** A client of its own for each request, so that only the per-address quota can refuse. */
  const fresh = () => {
    clients += 1;
    return `203.0.113.${clients % 250}, 198.18.${Math.floor(clients / 250)}.${clients % 250}`;
  };
  const register = (email: string) =>
    app
      .http()
      .post('/auth/register')
      .set('X-Forwarded-For', fresh())
      .send({ email, password: PASSWORD });
  async function signUp(email = uniqueEmail('quota')) {
    expect((await register(email)).status).toBe(201);
    const login = await app
      .http()
      .post('/auth/login')
      .set('X-Forwarded-For', fresh())
      .send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    const accessToken = login.body.accessToken as string;
    return { email, accessToken, id: decodeJwt(accessToken).payload.sub as string };
  }
  async function tokensOf(userId: string): Promise<number> {
    const [row] = await sql<Array<{ n: number | string }>>(
      app,
      'SELECT COUNT(*) AS n FROM auth_mail_tokens WHERE user_id = ?',
      [userId],
    );
    return Number(row.n);
  }

  describe('quotas on the canonical recipient', () => {
    it("counts verification requests on the caller's address, whatever decoy the body names", async () => {
      const user = await signUp();
      // Registration sent the first mail of the quota.
      for (let request = 1; request < LIMIT; request += 1) {
        const answer = await app
          .http()
          .post('/auth/verify-email/request')
          .set('X-Forwarded-For', fresh())
          .set(...bearer(user.accessToken))
          .send({ email: uniqueEmail('decoy') });
        expect([202, 400]).toContain(answer.status);
      }

      const refused = await app
        .http()
        .post('/auth/verify-email/request')
        .set('X-Forwarded-For', fresh())
        .set(...bearer(user.accessToken));

      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('counts every spelling of one mailbox as one: case, Unicode forms, IDNA', async () => {
      const spellings = [
        'quota-ünï@exämple.com',
        'QUOTA-ÜNÏ@EXÄMPLE.COM',
        'quota-u\u0308ni\u0308@exa\u0308mple.com',
        'quota-ünï@xn--exmple-cua.com',
        ' Quota-Ünï@Exämple.com ',
        'quota-ünï@exämple.com',
      ];
      for (const email of spellings.slice(0, LIMIT)) {
        expect((await forgot(fresh(), email)).status).toBe(202);
      }
      expect((await forgot(fresh(), 'QUOTA-ünï@exämple.COM')).status).toBe(429);
    });

    it.each([
      ['registration', '/auth/register', (email: string) => ({ email, password: PASSWORD })],
      ['a forgotten password', '/auth/password/forgot', (email: string) => ({ email })],
    ])(
      'refuses a quoted local part at %s (400): the transport would deliver it unquoted',
      async (_name, path, body) => {
        for (const email of ['"ada"@example.com', '"a\\da"@example.com', '"ada@x"@example.com']) {
          const answer = await app
            .http()
            .post(path)
            .set('X-Forwarded-For', fresh())
            .send(body(email));
          expect(answer.status).toBe(400);
          expect(answer.body.code).toBe('VALIDATION_FAILED');
        }
      },
    );

    it('limits the verification mails of registrations to one mailbox (register, delete, register again)', async () => {
      const email = uniqueEmail('again');
      const mailed: number[] = [];
      for (let round = 0; round <= LIMIT; round += 1) {
        const user = await signUp(email);
        mailed.push(await tokensOf(user.id));
        const deleted = await app
          .http()
          .delete('/auth/account')
          .set('X-Forwarded-For', fresh())
          .set(...bearer(user.accessToken))
          .send({ currentPassword: PASSWORD });
        expect(deleted.status).toBe(204);
      }

      // Each registration succeeded; past the quota, without a mail.
      expect(mailed).toEqual([...Array<number>(LIMIT).fill(1), 0]);
    });
  });
});
