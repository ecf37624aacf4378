import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthModule, defaultFeatures } from '../src/auth';
import { authEntities, authMigrations, SessionEntity } from '../src/auth/adapters/typeorm';
import { MAX_USER_ID_LENGTH } from '../src/auth/stores';
import { dataSourceOptions } from '../src/database/database.options';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * A host's user ids need not be UUIDs: the module takes ids of up to 255 characters, in the TypeORM session store
 * (this run's database, schema made by `authMigrations`) and in a host's own, and refuses longer ones with a 403
 * that says why, never a 5xx.
 */

const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';
const PASSWORD = 'correct horse battery';

/** A host user store whose ids are `length` characters long. */
function usersWithIdsOf(length: number): InMemoryUserStore {
  return new (class extends InMemoryUserStore {
    protected override newId(): string {
      return `${randomUUID()}:`.padEnd(length, 'x');
    }
  })();
}

@Module({})
class UserIdsHostModule {}

async function start(imports: DynamicModule[]): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [{ module: UserIdsHostModule, imports }],
  }).compile();
  const adapter = E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, { logger: false });
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

describe.each([['the TypeORM session store'], ["the host's own session store"]])(
  'user ids of up to 255 characters, with %s',
  (store) => {
    let database: TestDatabase | undefined;
    const apps: INestApplication[] = [];

    async function hostWithIdsOf(length: number): Promise<INestApplication> {
      const users = usersWithIdsOf(length);
      const typeorm = store === 'the TypeORM session store';
      if (typeorm && !database) database = await createTestDatabase();
      const app = await start(
        typeorm
          ? [
              TypeOrmModule.forRoot({
                ...dataSourceOptions(database!.url),
                entities: authEntities(defaultFeatures()),
                migrations: authMigrations(defaultFeatures()),
                migrationsRun: true,
              }),
              AuthModule.forRoot({ ...HOST_AUTH_OPTIONS, userStore: users }),
            ]
          : [
              AuthModule.forRoot({
                ...HOST_AUTH_OPTIONS,
                userStore: users,
                sessionStore: new InMemorySessionStore(),
              }),
            ],
      );
      apps.push(app);
      return app;
    }

    afterAll(async () => {
      for (const app of apps) await app.close();
      await database?.drop();
    });

    it('registers, logs in, refreshes and logs out a user whose id has 255 characters', async () => {
      const app = await hostWithIdsOf(MAX_USER_ID_LENGTH);
      const http = () => request(app.getHttpServer());
      const email = `long-${randomUUID()}@example.com`;

      const registered = await http()
        .post('/auth/register')
        .send({ email, password: PASSWORD })
        .expect(201);
      const login = await http()
        .post('/auth/login')
        .send({ email, password: PASSWORD })
        .expect(200);
      const refreshed = await http()
        .post('/auth/refresh')
        .send({ refreshToken: login.body.refreshToken })
        .expect(200);
      const me = await http()
        .get('/auth/me')
        .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
        .expect(200);
      await http()
        .post('/auth/logout')
        .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
        .expect(204);

      expect(registered.body.id).toHaveLength(255);
      expect(me.body.id).toBe(registered.body.id);
      if (store === 'the TypeORM session store') {
        const sessions = await app
          .get(DataSource)
          .getRepository(SessionEntity)
          .findBy({ userId: registered.body.id });
        expect(sessions).toHaveLength(1);
      }
    });

    it('refuses the login of a user whose id has 256 characters with a 403 that says why', async () => {
      const app = await hostWithIdsOf(MAX_USER_ID_LENGTH + 1);
      const http = () => request(app.getHttpServer());
      const email = `longer-${randomUUID()}@example.com`;
      await http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);

      const response = await http().post('/auth/login').send({ email, password: PASSWORD });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 403,
        body: {
          statusCode: 403,
          error: 'Forbidden',
          message: 'Account cannot sign in: its user id is over 255 characters',
          code: 'ACCOUNT_CANNOT_SIGN_IN',
        },
      });
    });
  },
);

describe('the migration that widens auth_sessions.user_id', () => {
  it('keeps existing sessions and their refresh tokens, and takes a 255-character id after', async () => {
    const database = await createTestDatabase();
    const dataSource = new DataSource({
      ...dataSourceOptions(database.url),
      entities: authEntities(defaultFeatures()),
      migrations: authMigrations(defaultFeatures()),
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      await dataSource.undoLastMigration();
      const sessionId = randomUUID();
      await dataSource.query(
        `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, idle_expires_at, absolute_expires_at) VALUES ('${sessionId}', '${randomUUID()}', 1, 1, 2, 3)`,
      );
      await dataSource.query(
        `INSERT INTO auth_refresh_tokens (id, session_id, issued_at, expires_at) VALUES ('${randomUUID()}', '${sessionId}', 1, 2)`,
      );

      await dataSource.runMigrations();

      expect(await dataSource.query('SELECT id FROM auth_refresh_tokens')).toHaveLength(1);
      expect(await dataSource.query('SELECT id FROM auth_sessions')).toEqual([{ id: sessionId }]);
      await dataSource.query(
        `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, idle_expires_at, absolute_expires_at) VALUES ('${randomUUID()}', '${'u'.repeat(255)}', 1, 1, 2, 3)`,
      );
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
