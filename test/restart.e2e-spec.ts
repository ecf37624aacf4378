import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/auth/testing';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  TEST_SECRETS,
  type TestApp,
} from './support/test-app';
import { expectInvalidToken } from './support/challenges';

/**
 * A restart loses nothing but memory: sessions and refresh-token chains live in the database, and the revocation
 * list is rebuilt from it at boot (docs/architecture.md: How it is built), so no dead token comes back to life.
 */

const GRACE = 10;

function getProtected(app: TestApp, accessToken: string) {
  return app
    .http()
    .get('/protected')
    .set(...bearer(accessToken));
}

function refresh(app: TestApp, refreshToken: string) {
  return app.http().post('/auth/refresh').send({ refreshToken });
}

describe('restart on the same SQLite file', () => {
  let directory: string;
  let clock: ManualClock;
  let running: TestApp | undefined;

  /** Both instances: the same file, the same fixed secrets, the same clock. */
  async function start(): Promise<TestApp> {
    running = await startTestApp(
      {
        ...TEST_SECRETS,
        DATABASE_URL: `sqlite:${join(directory, 'auth.sqlite')}`,
        JWT_EXPIRATION: '300',
        REFRESH_REUSE_GRACE: String(GRACE),
        THROTTLE_AUTH_LIMIT: '100000',
      },
      clock,
    );
    return running;
  }

  async function restart(): Promise<TestApp> {
    await running?.close();
    running = undefined;
    return start();
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'auth-'));
    clock = new ManualClock();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps old tokens working: the access token is accepted and the refresh token rotates', async () => {
    const before = await start();
    const user = await registerAndLogin(before);
    await getProtected(before, user.accessToken).expect(200);

    const after = await restart();

    const me = await getProtected(after, user.accessToken).expect(200);
    expect(me.body.user.email).toBe(user.email);
    const rotated = await refresh(after, user.refreshToken).expect(200);
    expect(rotated.body.refreshToken).not.toBe(user.refreshToken);
    await getProtected(after, rotated.body.accessToken).expect(200);
    await refresh(after, rotated.body.refreshToken).expect(200);
  });

  it('keeps refusing the access tokens of a session logged out before the restart', async () => {
    const before = await start();
    const loggedOut = await registerAndLogin(before);
    const response = await before
      .http()
      .post('/auth/login')
      .send({ email: loggedOut.email, password: PASSWORD })
      .expect(200);
    const stillIn = response.body as { accessToken: string; refreshToken: string };
    await before
      .http()
      .post('/auth/logout')
      .set(...bearer(loggedOut.accessToken))
      .expect(204);
    expectInvalidToken(await getProtected(before, loggedOut.accessToken));

    const after = await restart();

    expectInvalidToken(await getProtected(after, loggedOut.accessToken));
    expectInvalidToken(await refresh(after, loggedOut.refreshToken));
    await getProtected(after, stillIn.accessToken).expect(200);
    await refresh(after, stillIn.refreshToken).expect(200);
  });

  it('keeps refusing the access tokens of a session revoked for refresh-token reuse before the restart', async () => {
    const before = await start();
    const user = await registerAndLogin(before);
    const rotated = await refresh(before, user.refreshToken).expect(200);
    clock.advanceSeconds(GRACE + 1);
    expectInvalidToken(await refresh(before, user.refreshToken));

    const after = await restart();

    expectInvalidToken(await getProtected(after, user.accessToken));
    expectInvalidToken(await getProtected(after, rotated.body.accessToken));
    expectInvalidToken(await refresh(after, rotated.body.refreshToken));
  });

  it('answers a token rotated just before the restart with the same successor within the grace', async () => {
    const before = await start();
    const user = await registerAndLogin(before);
    const rotated = await refresh(before, user.refreshToken).expect(200);

    const after = await restart();
    clock.advanceSeconds(GRACE - 1);

    const again = await refresh(after, user.refreshToken).expect(200);
    expect(again.body.refreshToken).toBe(rotated.body.refreshToken);
    await getProtected(after, again.body.accessToken).expect(200);
  });
});
