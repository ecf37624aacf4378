import { type DynamicModule, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  accountMail,
  administration,
  AuthModule,
  type AuthModuleOptions,
  mfa,
  USER_STORE,
  type UserRecord,
  type UserStore,
} from '../src/auth';
import type { NewUser } from '../src/auth/stores';
import { SessionEntity, UserEntity } from '../src/auth/adapters/typeorm';
import { HOST_AUTH_OPTIONS, HostUsersModule } from './host-app/host-app.module';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';

/**
 * docs/host-guide.md: Use it in your Nest app: a host with its own user store gets no built-in users table: no `TypeOrmUserStoreModule`, no `auth_users`
 * entity. Its data source loads whatever the module registers (`autoLoadEntities`) and creates just that
 * (`synchronize`), so a registered users entity would show as a table.
 */

const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';
const PASSWORD = 'correct horse battery';

@Module({})
class StoresHostModule {}

function host(auth: DynamicModule): DynamicModule {
  return {
    module: StoresHostModule,
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: ':memory:',
        autoLoadEntities: true,
        synchronize: true,
      }),
      auth,
    ],
  };
}

async function start(auth: DynamicModule): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [host(auth)] }).compile();
  const adapter = E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, { logger: false });
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

async function tables(app: INestApplication): Promise<string[]> {
  const rows: { name: string }[] = await app
    .get(DataSource)
    .query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'auth_%' ORDER BY name",
    );
  return rows.map((row) => row.name);
}

describe.each<[string, () => DynamicModule]>([
  [
    'forRootAsync with typeorm: { users: false }',
    () =>
      AuthModule.forRootAsync({
        typeorm: { users: false },
        imports: [HostUsersModule],
        inject: [InMemoryUserStore],
        useFactory: (users: InMemoryUserStore): AuthModuleOptions => ({
          ...HOST_AUTH_OPTIONS,
          userStore: users,
        }),
      }),
  ],
  [
    'forRoot given a userStore (typeorm left to its default)',
    () => AuthModule.forRoot({ ...HOST_AUTH_OPTIONS, userStore: new InMemoryUserStore() }),
  ],
])('a host with its own user store, %s', (_label, auth) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await start(auth());
  });
  afterAll(() => app.close());

  it('registers no users entity: its data source has the session and mail tables only', async () => {
    expect(app.get(DataSource).hasMetadata(UserEntity)).toBe(false);
    expect(app.get(DataSource).hasMetadata(SessionEntity)).toBe(true);
    // Mail tokens and the outbox go where a built-in store has its data source.
    expect(await tables(app)).toEqual([
      'auth_mail_outbox',
      'auth_mail_tokens',
      'auth_refresh_tokens',
      'auth_sessions',
    ]);
  });

  it('registers, logs in and refreshes with the host store and the TypeORM sessions', async () => {
    const email = `stores-${process.pid}-${Date.now()}@example.com`;
    const http = () => request(app.getHttpServer());

    const registered = await http()
      .post('/auth/register')
      .send({ email, password: PASSWORD })
      .expect(201);
    const login = await http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    await http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);

    expect(
      await app.get<InMemoryUserStore>(USER_STORE).findById(registered.body.id),
    ).not.toBeNull();
    expect(
      await app
        .get(DataSource)
        .getRepository(SessionEntity)
        .countBy({ userId: registered.body.id }),
    ).toBe(1);
  });
});

describe('a host whose forRootAsync factory returns a userStore while the typeorm extra keeps the built-in one', () => {
  it('fails to boot with one line saying what to set', async () => {
    const auth = AuthModule.forRootAsync({
      imports: [HostUsersModule],
      inject: [InMemoryUserStore],
      useFactory: (users: InMemoryUserStore): AuthModuleOptions => ({
        ...HOST_AUTH_OPTIONS,
        userStore: users,
      }),
    });

    await expect(start(auth)).rejects.toThrow(
      /^AuthModule: userStore is given, so the built-in users store is not needed: set the typeorm extra to \{ users: false \}/,
    );
  });
});

/**
 * A host's users table behind the five methods the core needs, and nothing more: the core flows run on it; what a
 * feature or a route needs beyond them is declared and checked at boot.
 */
class CoreOnlyUserStore implements UserStore {
  private readonly users = new InMemoryUserStore();

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(email);
  }
  findById(id: string): Promise<UserRecord | null> {
    return this.users.findById(id);
  }
  create(user: NewUser): Promise<UserRecord> {
    return this.users.create(user);
  }
  updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    return this.users.updatePasswordHash(id, passwordHash);
  }
  bumpCredentialEpoch(id: string): Promise<void> {
    return this.users.bumpCredentialEpoch(id);
  }
}

describe('a host store with only the core methods', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await start(
      AuthModule.forRoot({
        ...HOST_AUTH_OPTIONS,
        userStore: new CoreOnlyUserStore(),
        features: [mfa()],
        routes: { accountDeletion: false },
      }),
    );
  });
  afterAll(() => app.close());

  it('runs the core flows: register, login, me, sessions, refresh, password change, logout everywhere', async () => {
    const email = `core-only-${process.pid}@example.com`;
    const http = () => request(app.getHttpServer());
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

    await http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const login = await http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    await http().get('/auth/me').set(bearer(login.body.accessToken)).expect(200);
    await http().get('/auth/sessions').set(bearer(login.body.accessToken)).expect(200);
    const refreshed = await http()
      .post('/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    await http()
      .post('/auth/password')
      .set(bearer(refreshed.body.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: `${PASSWORD} anew` })
      .expect(204);
    await http()
      .post('/auth/logout?scope=global')
      .set(bearer(refreshed.body.accessToken))
      .expect(204);
    await http().get('/auth/me').set(bearer(refreshed.body.accessToken)).expect(401);
    // The route that needs more is not mounted.
    await http().delete('/auth/account').set(bearer(refreshed.body.accessToken)).expect(404);
  });
});

describe('a host store lacking what the registration needs', () => {
  it('stops the boot in one line naming each feature or route and the methods it lacks', async () => {
    const auth = AuthModule.forRoot({
      ...HOST_AUTH_OPTIONS,
      userStore: new CoreOnlyUserStore(),
      features: [accountMail(), administration()],
    });

    await expect(start(auth)).rejects.toThrow(
      'AuthModule: the user store CoreOnlyUserStore has no setRoles, setDisabled, delete, which DELETE /account ' +
        'needs: implement them, or turn the route off (routes: { accountDeletion: false }); the user store ' +
        'CoreOnlyUserStore has no markEmailVerified, updateEmail, which the account-mail feature needs: implement ' +
        'them, or leave the feature out; the user store CoreOnlyUserStore has no setRoles, setDisabled, delete, ' +
        'list, which the administration feature needs: implement them, or leave the feature out',
    );
  });

  it('names a core method a store lacks', async () => {
    const partial = Object.assign(Object.create(null) as object, {
      findByEmail: () => Promise.resolve(null),
    }) as unknown as UserStore;
    const auth = AuthModule.forRoot({
      ...HOST_AUTH_OPTIONS,
      userStore: partial,
      features: [],
      routes: { accountDeletion: false },
    });

    await expect(start(auth)).rejects.toThrow(
      'has no findById, create, updatePasswordHash, bumpCredentialEpoch, which the module needs: implement them',
    );
  });
});
