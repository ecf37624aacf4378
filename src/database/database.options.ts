import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { authEntities, authMigrations } from '../auth/adapters/typeorm';
import type { AuthFeature } from '../auth';
import { serverFeatures } from '../server-features';

/** `DATABASE_TIMEOUT`'s default, in seconds. */
export const DEFAULT_DATABASE_TIMEOUT_SECONDS = 3;

/** `SQLITE_SYNCHRONOUS`: when an SQLite commit is on disk (docs/configuration.md: Configuration). */
export const SQLITE_SYNCHRONOUS_MODES = ['full', 'normal'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number];

/**
 * TypeORM options for a `DATABASE_URL`: `sqlite:<file>`, `sqlite::memory:` or `postgres://...`.
 * Migrations run at boot; `synchronize` is never on.
 *
 * @param timeoutSeconds `DATABASE_TIMEOUT`: how long PostgreSQL may take to accept a connection or answer a statement
 *   before the request is answered 503 (see {@link postgresPoolOptions}); unused with SQLite.
 * @param sqliteSynchronous `SQLITE_SYNCHRONOUS`: `full` (the default) syncs the write-ahead log to disk at every
 *   commit, so a logout or a revocation the server answered survives a power loss; `normal` syncs it only at
 *   checkpoints, faster, and the last commits before a power loss may be lost (never the database's integrity).
 * @param features the module's features the server registers: their tables are part of its schema (default: all).
 */
export function dataSourceOptions(
  databaseUrl: string,
  timeoutSeconds = DEFAULT_DATABASE_TIMEOUT_SECONDS,
  sqliteSynchronous: SqliteSynchronous = 'full',
  features: readonly AuthFeature[] = serverFeatures(),
): DataSourceOptions {
  // Listed, not globbed: the same lists work from `dist/`, from ts-jest and from a bundle.
  const common = {
    entities: authEntities(features),
    migrations: authMigrations(features),
    migrationsRun: true,
    synchronize: false,
  } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    const inMemory = file === ':memory:';
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: inMemory ? ':memory:' : resolve(file),
      // WAL lets readers proceed while a rotation writes.
      enableWAL: !inMemory,
      // better-sqlite3 builds SQLite with NORMAL as WAL's default: stated here either way.
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma(`synchronous = ${sqliteSynchronous.toUpperCase()}`);
      },
      ...common,
    };
  }
  return {
    type: 'postgres',
    url: databaseUrl,
    extra: postgresPoolOptions(timeoutSeconds * 1000),
    ...common,
  };
}

/**
 * node-postgres pool and connection options that make a dead or unreachable PostgreSQL fail a request within
 * `timeoutMs` + 0.5 s (answered 503, see `AuthErrorsInterceptor`) instead of hanging it, and let the pool heal
 * by itself once the server answers again. Every auth query is a primary-key or unique-index lookup, or a write of a
 * few rows, that takes milliseconds: the default 3 s is far above what a healthy server needs, and leaves room for
 * a busy machine (1 s was seen to cut healthy logins on a loaded 2-core CI machine).
 *
 * @param timeoutMs milliseconds (`DATABASE_TIMEOUT` × 1000).
 */
export function postgresPoolOptions(timeoutMs: number) {
  return {
    // Opening a connection (TCP, TLS, startup, authentication), and waiting for a free pooled connection when all
    // are busy, gives up after timeoutMs: a few milliseconds on a LAN, a few hundred across regions; a black-holed
    // server (a partition, a dropped SYN) would otherwise hold the request for the OS's TCP timeout (minutes).
    connectionTimeoutMillis: timeoutMs,
    // The server itself cancels a statement after timeoutMs (SQLSTATE 57014), e.g. one waiting on a lock held by a
    // transaction whose client vanished; the connection stays usable. Below query_timeout so that, when the server
    // is alive, it is the server that ends the statement, cleanly.
    statement_timeout: timeoutMs,
    // The client stops waiting for an answer 0.5 s later: the case where the server cannot answer at all (a
    // partition on an open connection), which statement_timeout cannot cover. So the first query a request makes on
    // a dead database fails within timeoutMs (new connection) or timeoutMs + 0.5 s (pooled one). It also bounds the
    // migrations run at boot: each of their statements must finish within timeoutMs as well.
    query_timeout: timeoutMs + 500,
    // The server ends a session left idle inside a transaction for 5 s (its client lost mid-transaction in a
    // partition), rolling it back and releasing its row locks: a later rotation of the same token is not blocked.
    // The module's transactions never pause between statements for more than milliseconds.
    idle_in_transaction_session_timeout: 5000,
    // A pooled connection idle for 10 s is closed (pg-pool's default, stated): after an outage, few stale
    // connections linger to be found dead by a request.
    idleTimeoutMillis: 10_000,
    // TCP keepalive on every connection, first probe after 10 s idle: keeps NATs and firewalls from silently
    // dropping a pooled connection, and lets the OS notice a peer that vanished.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // A query that timed out on the client may still be running, or never have arrived: node-postgres keeps waiting
    // for its answer, and every later query on that connection would queue behind it and time out too. Such a
    // connection is closed instead (the server then cancels the query and rolls back its transaction), and the
    // pool opens a fresh one for the next request.
    onConnect: closeOnQueryTimeout,
  };
}

/** The part of a node-postgres `Client` that {@link closeOnQueryTimeout} uses. */
interface PgClientLike {
  query: (...args: unknown[]) => unknown;
  connection?: { stream?: { destroy(): void } };
}

const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/** pg-pool's `onConnect` hook: closes the connection of a query that hit `query_timeout`. */
export function closeOnQueryTimeout(client: PgClientLike): void {
  const query = client.query.bind(client);
  client.query = (...args: unknown[]): unknown => {
    const result = query(...args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) {
          client.connection?.stream?.destroy();
        }
      });
    }
    return result;
  };
}
