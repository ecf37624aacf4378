import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  accountMail,
  administration,
  type AuthFeature,
  AuthModule,
  jwks,
  mfa,
  passkeys,
  throttling,
} from '../src/auth';
import { authEntities, authMigrations } from '../src/auth/adapters/typeorm';
import { AccountLifecycle, MailOutboxWorker } from '../src/auth/features/account-mail';
import { SubscriptionSessions } from '../src/auth/features/realtime';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';

/**
 * docs/configuration.md: Features: each feature can be left out, and one left out adds nothing (no route, table, migration,
 * provider or mail), while the core (register, login, refresh, the guard, sessions) works without it. A host on
 * SQLite whose schema comes from `authMigrations(features)` alone, as the README tells hosts to build it.
 */

const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';
const PASSWORD = 'correct horse battery';

interface Probe {
  /** A request that only this feature answers. */
  route: { method: 'get' | 'post'; path: string; body?: object };
  /** Tables only this feature creates. */
  tables: string[];
}

const FEATURES: Record<string, { make: () => AuthFeature; probe: Probe }> = {
  'account-mail': {
    make: () => accountMail({ mailWorker: { pollInterval: 0 } }),
    probe: {
      route: { method: 'post', path: '/auth/password/forgot', body: { email: 'a@example.com' } },
      tables: ['auth_mail_outbox', 'auth_mail_tokens'],
    },
  },
  administration: {
    make: () => administration(),
    probe: { route: { method: 'get', path: '/auth/admin/users' }, tables: [] },
  },
  jwks: {
    make: () => jwks(),
    probe: { route: { method: 'get', path: '/.well-known/jwks.json' }, tables: [] },
  },
  mfa: {
    make: () => mfa(),
    probe: {
      route: { method: 'get', path: '/auth/mfa' },
      tables: [
        'auth_mfa_challenges',
        'auth_mfa_devices',
        'auth_mfa_recovery_codes',
        'auth_mfa_totp',
      ],
    },
  },
  passkeys: {
    make: () => passkeys(),
    probe: {
      route: { method: 'post', path: '/auth/passkeys/login/options', body: {} },
      tables: ['auth_passkey_challenges', 'auth_passkeys'],
    },
  },
};

@Module({})
class FeatureHostModule {}

async function start(features: AuthFeature[]): Promise<INestApplication> {
  const host: DynamicModule = {
    module: FeatureHostModule,
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: ':memory:',
        entities: authEntities(features),
        migrations: authMigrations(features),
        migrationsRun: true,
      }),
      AuthModule.forRoot({ ...HOST_AUTH_OPTIONS, features }),
    ],
  };
  const moduleRef = await Test.createTestingModule({ imports: [host] }).compile();
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
    .query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'auth_%'");
  return rows.map((row) => row.name).sort();
}

function send(app: INestApplication, { method, path, body }: Probe['route']) {
  const call = request(app.getHttpServer())[method](path);
  return body === undefined ? call : call.set('Content-Type', 'application/json').send(body);
}

/** The core's own flows, with no feature's help: register, log in, the guard, refresh, the session list. */
async function expectCoreWorks(app: INestApplication): Promise<void> {
  const http = () => request(app.getHttpServer());
  await http()
    .post('/auth/register')
    .send({ email: 'ada@example.com', password: PASSWORD })
    .expect(201);
  const login = await http()
    .post('/auth/login')
    .send({ email: 'ada@example.com', password: PASSWORD })
    .expect(200);
  const { accessToken, refreshToken } = login.body as { accessToken: string; refreshToken: string };
  await http().get('/auth/me').set('Authorization', `Bearer ${accessToken}`).expect(200);
  await http().post('/auth/refresh').send({ refreshToken }).expect(200);
  const sessions = await http()
    .get('/auth/sessions')
    .set('Authorization', `Bearer ${accessToken}`)
    .expect(200);
  expect(sessions.body).toHaveLength(1);
}

describe.each(Object.keys(FEATURES))('a host that leaves out %s', (left) => {
  let app: INestApplication;
  const kept = Object.keys(FEATURES).filter((id) => id !== left);

  beforeAll(async () => {
    app = await start(kept.map((id) => FEATURES[id].make()));
  });
  afterAll(() => app.close());

  it('serves none of its routes, and every route of the features it kept', async () => {
    await send(app, FEATURES[left].probe.route).expect(404);
    for (const id of kept) {
      const { status } = await send(app, FEATURES[id].probe.route);
      expect([id, status]).not.toEqual([id, 404]);
    }
  });

  it('creates none of its tables, and the tables of the features it kept', async () => {
    const present = await tables(app);
    expect(present).toEqual(expect.arrayContaining(['auth_sessions', 'auth_users']));
    for (const table of FEATURES[left].probe.tables) expect(present).not.toContain(table);
    for (const id of kept)
      expect(present).toEqual(expect.arrayContaining(FEATURES[id].probe.tables));
  });

  it('keeps the core working: register, login, the guard, refresh, sessions', async () => {
    await expectCoreWorks(app);
  });
});

describe('a host with no feature at all', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await start([]);
  });
  afterAll(() => app.close());

  it('has no mail provider, no worker, no connection registry, no mail table, and still signs users in', async () => {
    expect(() => app.get(MailOutboxWorker, { strict: false })).toThrow();
    expect(() => app.get(AccountLifecycle, { strict: false })).toThrow();
    expect(() => app.get(SubscriptionSessions, { strict: false })).toThrow();
    expect(await tables(app)).toEqual(['auth_refresh_tokens', 'auth_sessions', 'auth_users']);
    await expectCoreWorks(app);
  });
});

/** Three logins from one client, each with a wrong password: the statuses (the per-account slowdown starts at five). */
async function threeWrongLogins(app: INestApplication): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { status } = await request(app.getHttpServer())
      .post('/auth/login')
      .send({ email: `nobody${i}@example.com`, password: 'not the password' });
    statuses.push(status);
  }
  return statuses;
}

describe('the per-client limit is the throttling feature', () => {
  it('limits a client when registered, and not at all when left out', async () => {
    const limited = await start([throttling({ limit: 2, ttl: 60 })]);
    try {
      expect(await threeWrongLogins(limited)).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
    const unlimited = await start([]);
    try {
      expect(await threeWrongLogins(unlimited)).toEqual([401, 401, 401]);
    } finally {
      await unlimited.close();
    }
  });
});

describe('a features list', () => {
  it('that names a feature twice is refused at boot, naming it', () => {
    expect(() => AuthModule.forRoot({ ...HOST_AUTH_OPTIONS, features: [jwks(), jwks()] })).toThrow(
      'AuthModule: the features list names jwks more than once: list each feature once',
    );
  });

  it('with a bad feature option is refused as it is built, naming the option', () => {
    expect(() => accountMail({ appUrl: 'not a url' })).toThrow(
      'Invalid accountMail options: appUrl must be an http(s) URL such as https://app.example.com',
    );
    expect(() => mfa({ encryptionKey: 'short' })).toThrow(
      'Invalid mfa options: encryptionKey must be at least 32 characters',
    );
    expect(() => throttling({ limit: 0 })).toThrow(
      'Invalid throttling options: limit and ttl must be positive whole numbers',
    );
    expect(() => passkeys({ rpId: 'example.org', origins: ['https://app.example.com'] })).toThrow(
      'Invalid passkeys options: rpId example.org is not a registrable suffix of the host of origin https://app.example.com: use app.example.com or a parent domain of it',
    );
  });
});
