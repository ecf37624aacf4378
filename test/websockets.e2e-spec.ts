import type { Socket } from 'socket.io-client';
import { AuthService } from '../src/auth';
import { ManualClock } from '../src/auth/testing';
import { decodeJwt } from './support/jwt-forge';
import { sleep } from './support/instances';
import { ask, connected, disconnected, listen, socketClient } from './support/realtime-clients';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/** The contract's bound for a revocation to close a connection; 1.5 s under load, as redis-outage allows. */
const CLOSE_WITHIN_MS = 1500;

/** Resolves with the time `socket` took to disconnect, or rejects past `withinMs`. */
async function disconnectsWithin(socket: Socket, withinMs: number): Promise<string> {
  const timeout = sleep(withinMs).then(() => {
    throw new Error(`still connected after ${withinMs} ms`);
  });
  return Promise.race([disconnected(socket), timeout]);
}

/**
 * The socket.io namespace /ws (CONTRACT §4.14) on the running server, with socket.io-client: the handshake's token,
 * whoami, and sockets that follow their session.
 */
describe('socket.io /ws', () => {
  let app: TestApp;
  let baseUrl: string;
  const sockets: Socket[] = [];

  const open = (token: unknown) => {
    const socket = socketClient(baseUrl, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    app = await startTestApp({ REFRESH_REUSE_GRACE: '0' });
    baseUrl = await listen(app.app);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => app.close());

  it('acknowledges whoami with the caller of the handshake token', async () => {
    const user = await registerAndLogin(app);
    const socket = await connected(open(user.accessToken));

    const caller = await ask(socket, 'whoami');

    expect(caller).toEqual({
      id: decodeJwt(user.accessToken).payload.sub,
      email: user.email,
      roles: ['user'],
    });
  });

  it('refuses a handshake without a token, with a bad one, a refresh token or a revoked one: Unauthorized', async () => {
    const user = await registerAndLogin(app);
    const revoked = await registerAndLogin(app);
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(revoked.accessToken))
      .expect(204);

    for (const token of [
      undefined,
      42,
      'not.a.token',
      user.refreshToken,
      `${user.accessToken}x`,
      revoked.accessToken,
    ]) {
      await expect(connected(open(token))).rejects.toMatchObject({ message: 'Unauthorized' });
    }
  });

  it('closes a socket within a second of its session’s logout, and leaves other sessions’ sockets open', async () => {
    const user = await registerAndLogin(app);
    const other = await login(app, user.email);
    const socket = await connected(open(user.accessToken));
    const otherSocket = await connected(open(other.accessToken));

    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .expect(204);

    expect(await disconnectsWithin(socket, CLOSE_WITHIN_MS)).toBe('io server disconnect');
    expect(await ask(otherSocket, 'whoami')).toMatchObject({ email: user.email });
  });

  it('closes the sockets of every other session on a password change', async () => {
    const user = await registerAndLogin(app);
    const other = await login(app, user.email);
    const otherSocket = await connected(open(other.accessToken));
    const ownSocket = await connected(open(user.accessToken));

    await app
      .http()
      .post('/auth/password')
      .set(...bearer(user.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'another long passphrase 9' })
      .expect(204);

    expect(await disconnectsWithin(otherSocket, CLOSE_WITHIN_MS)).toBe('io server disconnect');
    expect(await ask(ownSocket, 'whoami')).toMatchObject({ email: user.email });
  });

  it('closes the thief’s and the victim’s sockets when a stolen refresh token is reused', async () => {
    const victim = await registerAndLogin(app);
    const victimSocket = await connected(open(victim.accessToken));
    const stolen = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: victim.refreshToken })
      .expect(200);
    const thiefSocket = await connected(open(stolen.body.accessToken));

    // Past the grace (0 s, on a clock that otherwise stands still), the victim's client refreshes with the token
    // the thief already spent: reuse, the session is revoked.
    app.clock.advance(2000);
    await app.http().post('/auth/refresh').send({ refreshToken: victim.refreshToken }).expect(401);

    expect(await disconnectsWithin(victimSocket, CLOSE_WITHIN_MS)).toBe('io server disconnect');
    expect(await disconnectsWithin(thiefSocket, CLOSE_WITHIN_MS)).toBe('io server disconnect');
  });

  describe('changes an admin (or the host) makes to the user', () => {
    const auth = () => app.app.get(AuthService);
    const userIdOf = (user: LoggedIn) => decodeJwt(user.accessToken).payload.sub as string;

    it('closes the sockets of a user whose roles changed; one reconnected with a refreshed token stays open', async () => {
      const user = await registerAndLogin(app);
      const bystander = await registerAndLogin(app);
      const socket = await connected(open(user.accessToken));
      const other = await connected(open(bystander.accessToken));

      await auth().setRoles(userIdOf(user), ['user', 'editor']);

      await disconnectsWithin(socket, CLOSE_WITHIN_MS);
      const refreshed = await app
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      const again = await connected(open(refreshed.body.accessToken));
      expect(await ask(again, 'whoami')).toMatchObject({ roles: ['user', 'editor'] });
      expect(other.connected).toBe(true);
    });

    it.each([
      ['disabled', (id: string) => auth().setDisabled(id, true)],
      ['deleted', (id: string) => auth().deleteUser(id)],
    ])('closes the sockets of a user %s', async (_name, change) => {
      const user = await registerAndLogin(app);
      const socket = await connected(open(user.accessToken));

      await change(userIdOf(user));

      await disconnectsWithin(socket, CLOSE_WITHIN_MS);
    });
  });

  it('takes a fresh token of the same session on reauth, and refuses one of another session or a bad one', async () => {
    const user = await registerAndLogin(app);
    const other = await login(app, user.email);
    const socket = await connected(open(user.accessToken));
    const fresh = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: user.refreshToken })
      .expect(200);

    // CONTRACT §4.14: a refused event is acknowledged with { error: { code, message } }.
    const refused = { error: { code: 'TOKEN_INVALID', message: 'Invalid or expired token' } };
    expect(await ask(socket, 'reauth', { token: other.accessToken })).toEqual(refused);
    expect(await ask(socket, 'reauth', { token: 'not.a.token' })).toEqual(refused);
    expect(await ask(socket, 'reauth', { token: fresh.body.accessToken })).toEqual({
      ok: true,
      user: { id: decodeJwt(user.accessToken).payload.sub, email: user.email, roles: ['user'] },
    });
    expect(await ask(socket, 'whoami')).toMatchObject({ email: user.email });
  });
});

/**
 * Expiry: the server's access tokens live 2 s. Its clock is a ManualClock that stands still, so the guard keeps
 * taking the tokens; the registry's timers run in real time from it, and close sockets 2 s after their token's
 * `iat` as the clock sees it.
 */
describe('socket.io /ws at the access token’s expiry', () => {
  let app: TestApp;
  let baseUrl: string;
  const sockets: Socket[] = [];
  const LIFETIME_MS = 2000;

  beforeAll(async () => {
    // On a whole second: a token's exp is in whole seconds, so its life is then exactly LIFETIME_MS on this clock.
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
    app = await startTestApp({ JWT_EXPIRATION: String(LIFETIME_MS / 1000) }, clock);
    baseUrl = await listen(app.app);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => app.close());

  it('closes a socket at its token’s exp', async () => {
    const user = await registerAndLogin(app);
    const socket = socketClient(baseUrl, user.accessToken);
    sockets.push(socket);
    await connected(socket);

    expect(await disconnectsWithin(socket, LIFETIME_MS + CLOSE_WITHIN_MS)).toBe(
      'io server disconnect',
    );
  });

  it('keeps a socket open past that exp once it reauthenticated with a fresh token of its session', async () => {
    const user = await registerAndLogin(app);
    // The token has half its life left when the socket opens: the registry closes it 1 s (real time) from now.
    app.clock.advance(LIFETIME_MS / 2);
    const socket = socketClient(baseUrl, user.accessToken);
    sockets.push(socket);
    await connected(socket);
    const fresh = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: user.refreshToken })
      .expect(200);
    expect(await ask(socket, 'reauth', { token: fresh.body.accessToken })).toMatchObject({
      ok: true,
    });

    await sleep(LIFETIME_MS / 2 + 500);

    expect(socket.connected).toBe(true);
    expect(await ask(socket, 'whoami')).toMatchObject({ email: user.email });
    // And it closes at the fresh token's exp in turn.
    expect(await disconnectsWithin(socket, LIFETIME_MS + CLOSE_WITHIN_MS)).toBe(
      'io server disconnect',
    );
  });
});

async function login(app: TestApp, email = uniqueEmail()): Promise<LoggedIn> {
  const response = await app.http().post('/auth/login').send({ email, password: PASSWORD });
  expect(response.status).toBe(200);
  return {
    email,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
  };
}
