import { type DynamicModule, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthModule, type AuthModuleOptions, USER_STORE } from '../src/auth';
import { SessionEntity, UserEntity } from '../src/auth/adapters/typeorm';
import { HOST_AUTH_OPTIONS, HostUsersModule } from './host-app/host-app.module';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';

/**
 * README: Use it in your Nest app: a host with its own user store gets no built-in users table: no `TypeOrmUserStoreModule`, no `auth_users`
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
