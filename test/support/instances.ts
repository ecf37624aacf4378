import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type ServerProcess, startServer } from './server-process';
import { PASSWORD, TEST_SECRETS, uniqueEmail } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * Instances of the built server as separate processes, sharing one PostgreSQL database and one Redis: how several
 * instances really run. (Two apps in one process would share passport's strategy registry, so one app's guard would
 * ask the other's revocation list.)
 */
export interface Instances {
  a: ServerProcess;
  b: ServerProcess;
  /** The prefix of both instances' Redis keys: a fresh one per call. */
  redisKeyPrefix: string;
  stop(): Promise<void>;
}

export async function startInstances(
  database: TestDatabase,
  env: Record<string, string> = {},
  redisUrl = 'redis://127.0.0.1:6379',
): Promise<Instances> {
  const redisKeyPrefix = `nest-auth-e2e:${randomUUID()}:`;
  const shared = {
    ...TEST_SECRETS,
    NODE_ENV: 'test',
    // startServer waits for the "Listening on" line.
    LOG_LEVEL: 'info',
    BCRYPT_ROUNDS: '4',
    THROTTLE_AUTH_LIMIT: '0',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    // Keys of their own: other suites run at the same time on the same Redis.
    REDIS_KEY_PREFIX: redisKeyPrefix,
    ...env,
  };
  // One after the other: the first applies the migrations.
  const a = await startServer(shared);
  const b = await startServer(shared).catch(async (error: unknown) => {
    await a.stop();
    throw error;
  });
  return {
    a,
    b,
    redisKeyPrefix,
    stop: async () => void (await Promise.all([a.stop(), b.stop()])),
  };
}

export async function signUp(server: ServerProcess, email = uniqueEmail('instance')) {
  await request(server.url).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  const login = await request(server.url)
    .post('/auth/login')
    .send({ email, password: PASSWORD })
    .expect(200);
  return {
    email,
    accessToken: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
  };
}

/** Polls `check` every 20 ms until it holds; fails after `withinMs`. Resolves with how long it took. */
export async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > withinMs) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Two instances on a database of their own for the suite that calls it (in its `describe`): started before its
 * tests, stopped and dropped after. The getter answers once `beforeAll` has run.
 */
export function instancesForSuite(env: Record<string, string> = {}): () => Instances {
  let database: TestDatabase | undefined;
  let instances: Instances | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await startInstances(database, env);
  });
  afterAll(async () => {
    await instances?.stop();
    await database?.drop();
  });
  return () => {
    if (!instances) throw new Error('instancesForSuite: used before beforeAll started them');
    return instances;
  };
}
