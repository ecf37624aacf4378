// PostgreSQL databases of a benchmark run: created on the machine's server, dropped at the end.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The server's maintenance database; `BENCH_PG_URL` names another server. */
export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The databases created by {@link createPgDatabase} and not dropped yet. */
export const pgDatabases = [];

/** Runs `work(client)` on one connection to `url`, closed afterwards. */
export async function withPg(url, work) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function pgUrl(database) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates database `name` (an identifier: letters, digits, `_`) and answers its URL. */
export async function createPgDatabase(name) {
  await withPg(PG_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  pgDatabases.push(name);
  return pgUrl(name);
}

/** Drops every database this run created; reports, never throws (it runs in the clean-up). */
export async function dropPgDatabases() {
  if (pgDatabases.length === 0) return;
  try {
    await withPg(PG_ADMIN_URL, async (client) => {
      for (const name of [...pgDatabases]) {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        pgDatabases.splice(pgDatabases.indexOf(name), 1);
      }
    });
  } catch (error) {
    process.stderr.write(`could not drop ${pgDatabases.join(', ')}: ${error.message}\n`);
  }
}
