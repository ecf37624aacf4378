import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** The database every e2e suite runs on: test/jest-e2e.config.js runs the suites once per database. */
export const E2E_DATABASE = (globalThis as { E2E_DATABASE?: string }).E2E_DATABASE ?? 'sqlite';

/** Where the e2e PostgreSQL databases are created: the machine's server unless E2E_POSTGRES_URL names another. */
const POSTGRES_ADMIN_URL =
  process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one app: SQLite in memory, or a freshly created PostgreSQL database dropped after,
 * so that runs never see each other's data.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (E2E_DATABASE !== 'postgres') return { url: 'sqlite::memory:', drop: () => Promise.resolve() };
  const name = `nest_auth_e2e_${randomUUID().replace(/-/g, '')}`;
  await administer(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function administer(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL e2e suites need a server at ${POSTGRES_ADMIN_URL} where this user may create databases ` +
        `(set E2E_POSTGRES_URL to use another): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
