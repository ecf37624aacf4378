import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The server the hosts create their databases on: the machine's PostgreSQL unless HOSTS_POSTGRES_URL names another. */
const ADMIN_URL = process.env.HOSTS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** run.sh gives each run a prefix of its own, and drops what is left under it if a test process dies. */
const PREFIX = process.env.HOSTS_DATABASE_PREFIX ?? 'nest_auth_host_';

export interface HostDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one app boot, so that no run sees another's users; drop() removes it. */
export async function createHostDatabase(): Promise<HostDatabase> {
  const name = `${PREFIX}${randomUUID().replace(/-/g, '')}`;
  await administer(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function administer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The host apps need a PostgreSQL server at ${ADMIN_URL} where this user may create databases ` +
        `(start it, or set HOSTS_POSTGRES_URL): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
