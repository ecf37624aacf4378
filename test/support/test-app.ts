import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { CLOCK } from '../../src/auth';
import { ManualClock } from '../../src/auth/testing';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { createHttpAdapter } from '../../src/http/http-adapter';
import { createTestDatabase } from './test-database';

/** The HTTP adapter of this run: test/jest-e2e.config.js runs every suite once per adapter. */
export const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';

/**
 * `AUTH_FEATURES` of this run: the project that proves the core needs no feature sets it to `none`
 * (test/jest-e2e.config.js); unset elsewhere, so every feature is registered.
 */
const E2E_FEATURES = (globalThis as { E2E_FEATURES?: string }).E2E_FEATURES;

export const TEST_SECRETS = {
  JWT_SECRET: 'test-access-secret-0123456789abcdefghij',
  JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdefghij',
};

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** Moves only when told (`clock.advance(ms)`): the app reads all its time from it. */
  clock: ManualClock;
  http(): TestAgent;
  close(): Promise<void>;
}

/**
 * The whole reference app, configured as `node dist/main.js` would be from `env` (plus test defaults: the adapter and
 * database of this run, each app on a fresh database unless `env.DATABASE_URL` names one, fixed secrets, cheap
 * bcrypt), with its clock replaced by a {@link ManualClock}.
 * Served over real HTTP.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  clock = new ManualClock(),
): Promise<TestApp> {
  const database = env.DATABASE_URL === undefined ? await createTestDatabase() : undefined;
  const { config } = loadConfig({
    NODE_ENV: 'test',
    HTTP_ADAPTER: E2E_HTTP_ADAPTER,
    DATABASE_URL: database?.url ?? 'sqlite::memory:',
    BCRYPT_ROUNDS: '4',
    // The ManualClock stands still, so a window would never end: suites about limits set their own.
    THROTTLE_AUTH_LIMIT: '0',
    // No mail worker: suites about mail turn it on (test/support/mail-env.ts), the others send nothing anywhere.
    MAIL_POLL_INTERVAL: '0',
    ...(E2E_FEATURES === undefined ? {} : { AUTH_FEATURES: E2E_FEATURES }),
    ...TEST_SECRETS,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication(createHttpAdapter(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, config);
  await app.init();
  if (config.httpAdapter === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return {
    app,
    config,
    clock,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await database?.drop();
    },
  };
}

export const PASSWORD = 'correct horse battery';

let counter = 0;
/** A fresh, unique email for each call. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@example.com`;
}

export interface LoggedIn {
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a fresh user and logs it in over HTTP. */
export async function registerAndLogin(
  testApp: TestApp,
  email = uniqueEmail(),
  password = PASSWORD,
): Promise<LoggedIn> {
  await testApp.http().post('/auth/register').send({ email, password }).expect(201);
  const login = await testApp.http().post('/auth/login').send({ email, password }).expect(200);
  return { email, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
}

export function bearer(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

/** Raw SQL against a test app's database, written with `?` placeholders whatever the database is. */
export function sql<T = unknown>(
  testApp: TestApp,
  text: string,
  parameters: unknown[] = [],
): Promise<T> {
  const dataSource = testApp.app.get(DataSource);
  let position = 0;
  const query =
    dataSource.options.type === 'postgres'
      ? text.replace(/\?/g, () => `$${(position += 1)}`)
      : text;
  return dataSource.query<T>(query, parameters);
}
