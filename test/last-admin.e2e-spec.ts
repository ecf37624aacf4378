import { AuthService } from '../src/auth';
import { decodeJwt } from './support/jwt-forge';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * CONTRACT §4.13: the site always keeps an active admin. "At least one active admin" is checked inside the write that
 * would break it, under a lock: the last admin cannot delete, disable or demote itself by any route, and two admins
 * acting on each other at the same moment (concurrent requests, each on a connection of its own on PostgreSQL) never
 * both succeed. Each test runs on a database of its own, so it knows every admin there is.
 */
describe('the last active admin', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '100000' });
  });
  afterEach(() => app.close());

  type Admin = LoggedIn & { id: string };

  async function newAdmin(): Promise<Admin> {
    const user = await registerAndLogin(app, uniqueEmail('admin'));
    const id = decodeJwt(user.accessToken).payload.sub as string;
    await app.app.get(AuthService).setRoles(id, ['user', 'admin']);
    return { ...(await login(user.email)), id };
  }

  async function login(email: string): Promise<LoggedIn> {
    const response = await app.http().post('/auth/login').send({ email, password: PASSWORD });
    expect(response.status).toBe(200);
    return {
      email,
      accessToken: response.body.accessToken,
      refreshToken: response.body.refreshToken,
    };
  }

  /** The active admins, as the admin list shows them. */
  async function activeAdmins(token: string): Promise<string[]> {
    const response = await app
      .http()
      .get('/auth/admin/users')
      .query({ limit: 100 })
      .set(...bearer(token))
      .expect(200);
    return (response.body.items as Array<{ id: string; roles: string[]; disabled: boolean }>)
      .filter((user) => user.roles.includes('admin') && !user.disabled)
      .map((user) => user.id);
  }

  const patch = (admin: Admin, id: string, body: object) =>
    app
      .http()
      .patch(`/auth/admin/users/${id}`)
      .set(...bearer(admin.accessToken))
      .send(body);
  const remove = (admin: Admin, id: string) =>
    app
      .http()
      .delete(`/auth/admin/users/${id}`)
      .set(...bearer(admin.accessToken));
  const deleteAccount = (admin: Admin) =>
    app
      .http()
      .delete('/auth/account')
      .set(...bearer(admin.accessToken))
      .send({ currentPassword: PASSWORD });
  const me = (admin: Admin) =>
    app
      .http()
      .get('/auth/me')
      .set(...bearer(admin.accessToken));

  it('cannot delete itself, by the admin route or as its own account (409 LAST_ADMIN), and stays signed in', async () => {
    const admin = await newAdmin();

    for (const response of [await remove(admin, admin.id), await deleteAccount(admin)]) {
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'LAST_ADMIN' });
    }
    expect((await me(admin)).status).toBe(200);
    expect(await activeAdmins(admin.accessToken)).toEqual([admin.id]);
  });

  it('is kept by the host API too, and goes once another admin is active', async () => {
    const admin = await newAdmin();
    const auth = app.app.get(AuthService);

    await expect(auth.setRoles(admin.id, ['user'])).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    await expect(auth.setDisabled(admin.id, true)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    await expect(auth.deleteUser(admin.id)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    expect((await me(admin)).status).toBe(200);

    // A disabled admin does not count: it cannot act.
    const disabledAdmin = await newAdmin();
    await auth.setDisabled(disabledAdmin.id, true);
    await expect(auth.deleteUser(admin.id)).rejects.toMatchObject({ code: 'LAST_ADMIN' });

    const second = await newAdmin();
    expect((await deleteAccount(admin)).status).toBe(204);
    expect(await activeAdmins(second.accessToken)).toEqual([second.id]);
  });

  it('of two admins demoting each other at the same moment, exactly one wins, every round', async () => {
    const auth = app.app.get(AuthService);
    const first = await newAdmin();
    const second = await newAdmin();
    for (let round = 0; round < 8; round += 1) {
      const answers = await Promise.all([
        patch(first, second.id, { roles: ['user'] }),
        patch(second, first.id, { roles: ['user'] }),
      ]);

      // The loser is refused by the check (409), or, when the winner's change landed before its request was
      // authenticated (SQLite serves one at a time), as a demoted admin (401: its token was voided).
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const winner = answers[0].status === 200 ? first : second;
      expect(await activeAdmins(winner.accessToken)).toEqual([winner.id]);
      // Both admins again; the role change voided their access tokens.
      await auth.setRoles(winner === first ? second.id : first.id, ['user', 'admin']);
      Object.assign(first, await login(first.email));
      Object.assign(second, await login(second.email));
    }
  });

  it('of two admins disabling or deleting each other, or themselves, at the same moment, one is left', async () => {
    const first = await newAdmin();
    const second = await newAdmin();

    const answers = await Promise.all([
      patch(first, second.id, { disabled: true }),
      remove(second, first.id),
      deleteAccount(first),
      deleteAccount(second),
    ]);

    expect(answers.every((answer) => [200, 204, 401, 409].includes(answer.status))).toBe(true);
    expect(answers.some((answer) => answer.status === 409)).toBe(true);
    const alive: Admin[] = [];
    for (const admin of [first, second]) {
      if ((await me(admin)).status === 200) alive.push(admin);
    }
    expect(alive).toHaveLength(1);
    expect(await activeAdmins(alive[0].accessToken)).toEqual([alive[0].id]);
  });
});
