import { startTestApp, type TestApp, uniqueEmail } from './support/test-app';

/**
 * CONTRACT §4.12: the mail endpoints are limited per client and per address. The per-address bucket is shared by
 * every client, so it reports nothing of itself: the `X-RateLimit-*` headers a client reads are its own.
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
});
