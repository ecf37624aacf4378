import { PASSWORD, startTestApp, type TestApp, uniqueEmail } from './support/test-app';

/** docs/operations.md: Abuse limits, with the ManualClock standing in for waiting. */
describe('per-client limits on login, register and refresh', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '3', THROTTLE_AUTH_TTL: '60' });
  });
  afterAll(() => app.close());

  const login = (ip: string, email = 'nobody@example.com') =>
    app
      .http()
      .post('/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ email, password: 'wrong password' });

  it('answers 429 with Retry-After past the limit, until the window ends', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await app
        .http()
        .post('/auth/register')
        .send({ email: 'not an email', password: PASSWORD })
        .expect(400);
    }
    const limited = await app
      .http()
      .post('/auth/register')
      .send({ email: 'not an email', password: PASSWORD });

    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Nest's shape, naming nothing of the implementation (no "ThrottlerException").
    expect(limited.body).toEqual({
      statusCode: 429,
      message: 'Too many requests; try again later',
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
    });

    app.clock.advanceSeconds(61);
    await app
      .http()
      .post('/auth/register')
      .send({ email: 'not an email', password: PASSWORD })
      .expect(400);
  });

  it('limits refresh too, before reading the token', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push(
        (await app.http().post('/auth/refresh').send({ refreshToken: 'garbage' })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    app.clock.advanceSeconds(61);
  });

  it('ignores X-Forwarded-For when TRUST_PROXY is off: every request counts against the socket address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await login(`203.0.113.${attempt}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    app.clock.advanceSeconds(61);
  });
});

describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '2', TRUST_PROXY: 'true' });
  });
  afterAll(() => app.close());

  it('counts each client named by X-Forwarded-For on its own', async () => {
    const from = (ip: string) =>
      app
        .http()
        .post('/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'wrong password' });

    expect((await from('198.51.100.1')).status).toBe(401);
    expect((await from('198.51.100.1')).status).toBe(401);
    expect((await from('198.51.100.1')).status).toBe(429);
    expect((await from('198.51.100.2')).status).toBe(401);
  });
});

describe('per-account slowdown after failed logins', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(); // no per-client limit: the account's own counter is what is tested
  });
  afterAll(() => app.close());

  async function newUser(): Promise<string> {
    const email = uniqueEmail('slow');
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    return email;
  }

  const attempt = (email: string, password: string, ip = '192.0.2.1') =>
    app.http().post('/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('lets five failures through, then makes the account wait, whatever the IP', async () => {
    const email = await newUser();
    for (let failure = 0; failure < 5; failure += 1) {
      await attempt(email, 'wrong password', `192.0.2.${failure}`).expect(401);
    }
    // The sixth failure starts a wait; during it even the right password waits.
    await attempt(email, 'wrong password').expect(401);
    const waiting = await attempt(email, PASSWORD, '198.51.100.9');

    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBe(1);
    expect(waiting.body).toEqual({
      statusCode: 429,
      message: 'Too many failed logins for this account; try again later',
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
    });
  });

  it('lets the right password in once the wait is over, and forgets the failures', async () => {
    const email = await newUser();
    for (let failure = 0; failure < 6; failure += 1) await attempt(email, 'wrong password');
    await attempt(email, PASSWORD).expect(429);

    app.clock.advanceSeconds(1);
    await attempt(email, PASSWORD).expect(200);
    // Reset by the success: five more failures are free again.
    for (let failure = 0; failure < 5; failure += 1)
      await attempt(email, 'wrong password').expect(401);
  });

  it('makes each further failure wait twice as long', async () => {
    const email = await newUser();
    for (let failure = 0; failure < 6; failure += 1) await attempt(email, 'wrong password');
    const waits: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const limited = await attempt(email, 'wrong password').expect(429);
      const wait = Number(limited.headers['retry-after']);
      waits.push(wait);
      app.clock.advanceSeconds(wait);
      await attempt(email, 'wrong password').expect(401);
    }
    expect(waits).toEqual([1, 2, 4]);
  });

  it('never slows down another account', async () => {
    const attacked = await newUser();
    const bystander = await newUser();
    for (let failure = 0; failure < 8; failure += 1) await attempt(attacked, 'wrong password');

    await attempt(bystander, PASSWORD).expect(200);
  });

  it('counts an unknown email like a registered one, so the wait tells nothing about who exists', async () => {
    const unknown = uniqueEmail('ghost');
    for (let failure = 0; failure < 6; failure += 1) await attempt(unknown, 'wrong password');

    const limited = await attempt(unknown, 'wrong password');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
  });
});
