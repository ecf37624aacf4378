import { AuthEvents, AuthService, type AuthEvent } from '../src/auth';
import { decodeJwt } from './support/jwt-forge';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  sql,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';
import { expectInvalidToken } from './support/challenges';

/**
 * docs/administration.md: Administration. The admin routes (`/auth/admin/users`), `DELETE /auth/account`, and the host API behind
 * them (`AuthService.setRoles`, `setDisabled`, `deleteUser`, `revokeUserSessions`): each change reaches the access
 * tokens already out from the next request on. The test clock stands still, so a role change and the refresh after
 * it fall in the same second: the case where an `iat` alone could not tell them apart.
 */
const ENV = { THROTTLE_AUTH_LIMIT: '100000' };

function userIdOf(token: string): string {
  return decodeJwt(token).payload.sub as string;
}

describe('administration', () => {
  let app: TestApp;
  let admin: LoggedIn & { id: string };
  const heard: AuthEvent[] = [];

  beforeAll(async () => {
    app = await startTestApp(ENV);
    const events = app.app.get(AuthEvents);
    for (const type of [
      'user.roles_changed',
      'user.disabled',
      'user.enabled',
      'user.deleted',
    ] as const) {
      events.on(type, (event) => void heard.push(event));
    }
    const registered = await registerAndLogin(app, uniqueEmail('admin'));
    const id = userIdOf(registered.accessToken);
    await app.app.get(AuthService).setRoles(id, ['user', 'admin']);
    admin = { ...(await login(registered.email)), id };
  });
  afterAll(() => app.close());

  async function login(email: string, password = PASSWORD): Promise<LoggedIn> {
    const response = await app.http().post('/auth/login').send({ email, password }).expect(200);
    return {
      email,
      accessToken: response.body.accessToken,
      refreshToken: response.body.refreshToken,
    };
  }

  async function signUp(prefix = 'member'): Promise<LoggedIn & { id: string }> {
    const user = await registerAndLogin(app, uniqueEmail(prefix));
    return { ...user, id: userIdOf(user.accessToken) };
  }

  const me = (token: string) =>
    app
      .http()
      .get('/auth/me')
      .set(...bearer(token));
  const refresh = (refreshToken: string) => app.http().post('/auth/refresh').send({ refreshToken });
  const patch = (id: string, body: unknown, token = admin.accessToken) =>
    app
      .http()
      .patch(`/auth/admin/users/${encodeURIComponent(id)}`)
      .set(...bearer(token))
      .send(body as object);
  const list = (query: Record<string, string | number>, token = admin.accessToken) =>
    app
      .http()
      .get('/auth/admin/users')
      .query(query)
      .set(...bearer(token));
  const remove = (id: string, token = admin.accessToken) =>
    app
      .http()
      .delete(`/auth/admin/users/${encodeURIComponent(id)}`)
      .set(...bearer(token));

  describe('who may administer', () => {
    it('refuses a caller without the role admin with 403, and no token with 401', async () => {
      const member = await signUp();

      expect((await list({}, member.accessToken)).status).toBe(403);
      expect((await patch(member.id, { roles: ['admin'] }, member.accessToken)).status).toBe(403);
      expect((await remove(member.id, member.accessToken)).status).toBe(403);
      expect((await app.http().get('/auth/admin/users')).status).toBe(401);
      expect((await me(member.accessToken)).body.roles).toEqual(['user']);
    });
  });

  describe('GET /auth/admin/users', () => {
    const prefix = `list-${process.pid}-${Date.now()}`;
    const created: string[] = [];

    beforeAll(async () => {
      for (let index = 0; index < 5; index += 1) {
        await app
          .http()
          .post('/auth/register')
          .send({ email: `${prefix}-${index}@example.com`, password: PASSWORD })
          .expect(201);
        created.unshift(`${prefix}-${index}@example.com`);
        // Distinct creation times: the order is then by time, newest first.
        app.clock.advance(1000);
      }
    });

    it('pages through the users newest first, each exactly once, with nextCursor null at the end', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await list({ email: prefix, limit: 2, ...(cursor ? { cursor } : {}) });
        expect(response.status).toBe(200);
        const body = response.body as {
          items: Array<{ email: string }>;
          nextCursor: string | null;
        };
        seen.push(...body.items.map((user) => user.email));
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 10);

      expect(seen).toEqual(created);
      expect(pages).toBe(3);
    });

    it('shows each user as the admin sees it: never the hash', async () => {
      const response = await list({ email: created[0] });

      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1);
      expect(Object.keys(response.body.items[0]).sort()).toEqual(
        expect.arrayContaining(['createdAt', 'disabled', 'email', 'id', 'roles']),
      );
      expect(JSON.stringify(response.body)).not.toMatch(/\$2[aby]\$|passwordHash/);
    });

    it('filters by an address prefix, upper case included, taking % and _ literally', async () => {
      expect((await list({ email: prefix.toUpperCase() })).body.items).toHaveLength(5);
      expect((await list({ email: `${prefix}-%` })).body.items).toHaveLength(0);
      expect((await list({ email: `${prefix}-_` })).body.items).toHaveLength(0);
    });

    it('finds nobody for a prefix with a NUL, which no address holds', async () => {
      const response = await list({ email: 'a\u0000' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], nextCursor: null });
    });

    it('defaults to 20 a page', async () => {
      for (let index = 0; index < 16; index += 1) await signUp('filler');

      expect((await list({})).body.items).toHaveLength(20);
    });

    it.each([
      ['limit 0', { limit: 0 }],
      ['limit 101', { limit: 101 }],
      ['limit abc', { limit: 'abc' }],
      ['a cursor not made here', { cursor: 'bm90IGEgY3Vyc29y' }],
      ['a cursor of garbage', { cursor: '!!!' }],
      ['an unknown parameter', { sort: 'email' }],
      [
        'a cursor naming an id with a NUL',
        { cursor: Buffer.from(JSON.stringify([1, 'a\u0000b'])).toString('base64url') },
      ],
    ])('answers 400 for %s', async (_name, query) => {
      const response = await list(query);

      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(400);
    });
  });

  describe('PATCH /auth/admin/users/:id roles', () => {
    it('refuses the access tokens issued before at once, keeps the session, and the next refresh carries the new roles', async () => {
      const member = await signUp();

      const response = await patch(member.id, { roles: ['user', 'editor'] });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: member.id,
        roles: ['user', 'editor'],
        disabled: false,
      });
      expectInvalidToken(await me(member.accessToken));
      const refreshed = await refresh(member.refreshToken);
      expect(refreshed.status).toBe(200);
      expect(decodeJwt(refreshed.body.accessToken).payload.roles).toEqual(['user', 'editor']);
      const after = await me(refreshed.body.accessToken);
      expect(after.status).toBe(200);
      expect(after.body.roles).toEqual(['user', 'editor']);
    });

    it('cuts off every session of the user, and no other user', async () => {
      const member = await signUp();
      const secondDevice = await login(member.email);
      const bystander = await signUp();

      await patch(member.id, { roles: ['user', 'support'] }).expect(200);

      expectInvalidToken(await me(member.accessToken));
      expectInvalidToken(await me(secondDevice.accessToken));
      expect((await me(bystander.accessToken)).status).toBe(200);
      expect((await refresh(secondDevice.refreshToken)).status).toBe(200);
    });

    it('lets a new role open what it guards from the next refresh on', async () => {
      const member = await signUp();
      expect((await list({}, member.accessToken)).status).toBe(403);

      await patch(member.id, { roles: ['user', 'admin'] }).expect(200);
      const refreshed = await refresh(member.refreshToken).expect(200);

      expect((await list({}, refreshed.body.accessToken)).status).toBe(200);
    });

    it('changes nothing, and cuts nothing off, when the roles are the same', async () => {
      const member = await signUp();

      await patch(member.id, { roles: ['user'] }).expect(200);

      expect((await me(member.accessToken)).status).toBe(200);
    });

    it('emits user.roles_changed with the roles before and after', async () => {
      const member = await signUp();

      await patch(member.id, { roles: ['auditor'] }).expect(200);

      expect(heard).toContainEqual({
        type: 'user.roles_changed',
        userId: member.id,
        roles: ['auditor'],
        previousRoles: ['user'],
      });
    });

    it.each([
      ['nothing to change', {}],
      ['roles not an array', { roles: 'admin' }],
      ['a role that is not a name', { roles: ['user', 'drop table'] }],
      ['an empty role', { roles: [''] }],
      ['21 roles', { roles: Array.from({ length: 21 }, (_, index) => `role${index}`) }],
      ['disabled not a boolean', { disabled: 'yes' }],
      ['disabled null', { disabled: null }],
      ['roles null', { roles: null }],
      ['an unknown field', { roles: ['user'], email: 'x@example.com' }],
    ])('answers 400 for %s', async (_name, body) => {
      const member = await signUp();

      const response = await patch(member.id, body);

      expect(response.status).toBe(400);
      expect((await me(member.accessToken)).status).toBe(200);
    });

    it('answers 404 for an unknown id, however it is spelled', async () => {
      for (const id of [
        '00000000-0000-4000-8000-000000000000',
        'nobody',
        'x'.repeat(300),
        'nul\u0000byte',
      ]) {
        expect((await patch(id, { roles: ['user'] })).status).toBe(404);
      }
    });

    it('refuses with 400 an admin demoting or disabling themselves', async () => {
      const demote = await patch(admin.id, { roles: ['user'] });
      const disable = await patch(admin.id, { disabled: true });

      expect(demote.status).toBe(400);
      expect(disable.status).toBe(400);
      expect((await me(admin.accessToken)).status).toBe(200);
      expect((await me(admin.accessToken)).body.roles).toContain('admin');
    });
  });

  describe('PATCH /auth/admin/users/:id disabled', () => {
    it('revokes every session at once; login answers 403 Account disabled; enabling lets the user in again', async () => {
      const member = await signUp();
      const secondDevice = await login(member.email);

      const disabled = await patch(member.id, { disabled: true });

      expect(disabled.status).toBe(200);
      expect(disabled.body.disabled).toBe(true);
      for (const session of [member, secondDevice]) {
        expectInvalidToken(await me(session.accessToken));
        expectInvalidToken(await refresh(session.refreshToken));
      }
      const refused = await app
        .http()
        .post('/auth/login')
        .send({ email: member.email, password: PASSWORD });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('Account disabled');

      await patch(member.id, { disabled: false }).expect(200);
      expect((await me((await login(member.email)).accessToken)).status).toBe(200);
      expect(heard).toContainEqual({ type: 'user.disabled', userId: member.id });
      expect(heard).toContainEqual({ type: 'user.enabled', userId: member.id });
    });

    it('tells a wrong password on a disabled account only that it is wrong (401)', async () => {
      const member = await signUp();
      await patch(member.id, { disabled: true }).expect(200);

      const response = await app
        .http()
        .post('/auth/login')
        .send({ email: member.email, password: 'not the password' });

      expect(response.status).toBe(401);
    });
  });

  describe('DELETE /auth/admin/users/:id', () => {
    it('revokes every session at once, removes the user, and frees the address', async () => {
      const member = await signUp();

      await remove(member.id).expect(204);

      expectInvalidToken(await me(member.accessToken));
      expectInvalidToken(await refresh(member.refreshToken));
      expect((await list({ email: member.email })).body.items).toEqual([]);
      await app
        .http()
        .post('/auth/register')
        .send({ email: member.email, password: PASSWORD })
        .expect(201);
      expect(heard).toContainEqual({
        type: 'user.deleted',
        userId: member.id,
        email: member.email,
      });
    });

    it('answers 404 for an unknown id, and for one deleted already', async () => {
      const member = await signUp();
      await remove(member.id).expect(204);

      expect((await remove(member.id)).status).toBe(404);
      expect((await remove('nobody')).status).toBe(404);
    });
  });

  describe('DELETE /auth/account', () => {
    const deleteAccount = (token: string, body: unknown) =>
      app
        .http()
        .delete('/auth/account')
        .set(...bearer(token))
        .send(body as object);

    it('deletes the caller with the right password: every token refused, the address free again', async () => {
      const member = await signUp();
      const secondDevice = await login(member.email);

      await deleteAccount(member.accessToken, { currentPassword: PASSWORD }).expect(204);

      for (const session of [member, secondDevice]) {
        expectInvalidToken(await me(session.accessToken));
        expectInvalidToken(await refresh(session.refreshToken));
      }
      expect(
        (await app.http().post('/auth/login').send({ email: member.email, password: PASSWORD }))
          .status,
      ).toBe(401);
      await app
        .http()
        .post('/auth/register')
        .send({ email: member.email, password: PASSWORD })
        .expect(201);
    });

    it("voids the user's pending mail links with the account", async () => {
      const member = await signUp();
      const pending = () =>
        sql<Array<{ n: number | string }>>(
          app,
          'SELECT COUNT(*) AS n FROM auth_mail_tokens WHERE user_id = ?',
          [member.id],
        ).then(([row]) => Number(row.n));
      // Registration mailed a verification link.
      expect(await pending()).toBeGreaterThan(0);

      await deleteAccount(member.accessToken, { currentPassword: PASSWORD }).expect(204);

      expect(await pending()).toBe(0);
    });

    it('answers 403 for a wrong password and deletes nothing', async () => {
      const member = await signUp();

      const response = await deleteAccount(member.accessToken, {
        currentPassword: 'not it at all',
      });

      expect(response.status).toBe(403);
      expect((await me(member.accessToken)).status).toBe(200);
    });

    it.each([
      ['no body', undefined],
      ['no password', {}],
      ['a password that is not a string', { currentPassword: 12345678 }],
      ['an unknown field', { currentPassword: PASSWORD, reason: 'bye' }],
    ])('answers 400 for %s', async (_name, body) => {
      const member = await signUp();

      expect((await deleteAccount(member.accessToken, body)).status).toBe(400);
      expect((await me(member.accessToken)).status).toBe(200);
    });

    it('needs an access token', async () => {
      expect(
        (await app.http().delete('/auth/account').send({ currentPassword: PASSWORD })).status,
      ).toBe(401);
    });
  });

  describe('a user deleted directly in the database', () => {
    it('is refused alike (401 invalid_token) by every route that reads the database', async () => {
      const member = await signUp();
      const { body: sessions } = await app
        .http()
        .get('/auth/sessions')
        .set(...bearer(member.accessToken))
        .expect(200);

      await sql(app, 'DELETE FROM auth_users WHERE id = ?', [member.id]);

      expectInvalidToken(await me(member.accessToken));
      expectInvalidToken(
        await app
          .http()
          .get('/auth/sessions')
          .set(...bearer(member.accessToken)),
      );
      expectInvalidToken(
        await app
          .http()
          .delete(`/auth/sessions/${(sessions as Array<{ id: string }>)[0].id}`)
          .set(...bearer(member.accessToken)),
      );
      expectInvalidToken(
        await app
          .http()
          .post('/auth/password')
          .set(...bearer(member.accessToken))
          .send({ currentPassword: PASSWORD, newPassword: 'another fine passphrase' }),
      );
      expectInvalidToken(
        await app
          .http()
          .delete('/auth/account')
          .set(...bearer(member.accessToken))
          .send({ currentPassword: PASSWORD }),
      );
      expectInvalidToken(await refresh(member.refreshToken));
    });
  });

  describe('the host API (AuthService)', () => {
    it('revokeUserSessions signs the user out everywhere', async () => {
      const member = await signUp();

      await app.app.get(AuthService).revokeUserSessions(member.id);

      expectInvalidToken(await me(member.accessToken));
      expectInvalidToken(await refresh(member.refreshToken));
    });

    it('setRoles, setDisabled and deleteUser throw USER_NOT_FOUND for an unknown user', async () => {
      const auth = app.app.get(AuthService);
      const unknown = '00000000-0000-4000-8000-000000000000';

      await expect(auth.setRoles(unknown, ['user'])).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
      await expect(auth.setDisabled(unknown, true)).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
      await expect(auth.deleteUser(unknown)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    });

    it('startSession refuses a disabled user', async () => {
      const member = await signUp();
      const auth = app.app.get(AuthService);
      await auth.setDisabled(member.id, true);

      await expect(auth.startSession(member.id)).rejects.toMatchObject({
        code: 'ACCOUNT_DISABLED',
      });
    });
  });
});
