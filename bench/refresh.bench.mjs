// Refresh benchmark of the reference server (`npm run bench`): plain Node ESM, runs on the built `dist/`.
//
// It measures, in one run, figures that are only compared with each other (the machine is shared and noisy):
//   - refresh throughput (rotations/s, 8 concurrent clients each rotating its own chain) on PostgreSQL and SQLite,
//     and their ratio; SQLite's against the disk's one-row durable commit rate (sqlite-commit-rate.mjs, probed in
//     every round; target ≥ 0.4);
//   - sequential refresh latency (p50, p99) with ~1,000 and with ~1,000,000 stored sessions (seeded in bulk, one
//     INSERT ... SELECT per table), and the ratio p50 at 1M / p50 at 1k, whose target is ≤ 1.5.
// Each engine gets two databases, "1k" and "1M", each served by its own `node dist/main.js`, so that measurements
// can alternate between them round after round. Throughput and p50 are medians over the rounds, ratios are ratios
// of those medians, p99 is over all the samples of a server.
// Everything it creates (PostgreSQL databases, a temp directory with the SQLite files) is removed at the end.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { login, register, rotate } from './support/auth-client.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { closedLoop } from './support/load.mjs';
import { createPgDatabase, dropPgDatabases, withPg } from './support/postgres.mjs';
import { log, logTable } from './support/report.mjs';
import {
  assertBuilt,
  ROOT,
  runNode,
  serverEnv,
  startServer as startProcess,
  stopServer,
} from './support/servers.mjs';
import { median, quantile, round2 } from './support/stats.mjs';

const require = createRequire(import.meta.url);

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const USERS = 8; // real users (registered over HTTP); they own every seeded session
const WORKERS = 8; // concurrent refresh loops of the throughput test, one session each
const THROUGHPUT_ROUNDS = 5;
const WARMUP_MS = 1_000;
const MEASURE_MS = 5_000;
const LATENCY_ROUNDS = 5;
const LATENCY_WARMUP = 30; // per round and server
const LATENCY_SAMPLES = 200; // per round and server: 1,000 per server in all
const TARGET_RATIO = 1.5;
const DURABILITY_ROUNDS = 4; // per setting, alternating
const DAY = 86_400_000;

const startedAt = performance.now();
const runId = `${process.pid}_${Date.now().toString(36)}`;
const tempDir = makeTempDir();

// ---------------------------------------------------------------------------------------------------------------
// Servers

/** `node dist/main.js` on `databaseUrl` (Fastify, production settings), in the temp dir. */
function startServer(name, databaseUrl, env = {}) {
  return startProcess(name, { env: { ...serverEnv({ databaseUrl }), ...env }, cwd: tempDir });
}

// ---------------------------------------------------------------------------------------------------------------
// Databases

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `CASE <n> % k WHEN 0 THEN '<id0>' ...`: spreads the seeded sessions over the real users. */
function userIdCase(n, userIds) {
  for (const id of userIds) if (!UUID.test(id)) throw new Error(`unexpected user id ${id}`);
  const whens = userIds.map((id, k) => `WHEN ${k} THEN '${id}'`).join(' ');
  return `CASE ${n} % ${userIds.length} ${whens} END`;
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
];
const userAgentCase = (n) =>
  `CASE ${n} % 3 ${USER_AGENTS.map((ua, k) => `WHEN ${k} THEN '${ua}'`).join(' ')} END`;

/**
 * Live sessions as pruning leaves them (not revoked, not expired): created up to 29 days ago, used within the last
 * 6 days (never before creation), idle deadline 7 days after last use, absolute one 30 days after creation; one
 * unspent refresh token each, issued at last use. Ids are random v4-like UUIDs, as `randomUUID()` makes.
 */
async function seedPostgres(url, count, userIds, now) {
  return withPg(url, async (client) => {
    const started = performance.now();
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, idle_expires_at, absolute_expires_at,
                                  revoked_at, revoked_reason, user_agent, ip)
       SELECT gen_random_uuid()::text, ${userIdCase('i', userIds)}, $1::bigint - age,
              $1::bigint - used, $1::bigint - used + ${7 * DAY}, $1::bigint - age + ${30 * DAY},
              NULL, NULL, ${userAgentCase('i')},
              '10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256)
       FROM (SELECT i, age, floor(random() * least(age, ${6 * DAY}))::bigint AS used
             FROM (SELECT i, ${3_600_000} + floor(random() * ${28 * DAY})::bigint AS age
                   FROM generate_series(1, $2::int) AS i) a) b`,
      [now, count],
    );
    await client.query(
      `INSERT INTO auth_refresh_tokens (id, session_id, issued_at, expires_at, spent_at, successor_id)
       SELECT gen_random_uuid()::text, s.id, s.last_used_at, s.idle_expires_at, NULL, NULL
       FROM auth_sessions s
       WHERE NOT EXISTS (SELECT 1 FROM auth_refresh_tokens t WHERE t.session_id = s.id)`,
    );
    await client.query('COMMIT');
    const seedMs = performance.now() - started;
    // What autovacuum would soon do on its own; done now so that it does not run during the measurements.
    const vacuumStarted = performance.now();
    await client.query('VACUUM ANALYZE auth_sessions');
    await client.query('VACUUM ANALYZE auth_refresh_tokens');
    return { seedMs, vacuumMs: performance.now() - vacuumStarted };
  });
}

const SQLITE_UUID =
  "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || " +
  "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || " +
  "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

/**
 * The same rows as {@link seedPostgres}, with a recursive CTE, through better-sqlite3 (server stopped). MATERIALIZED:
 * otherwise SQLite evaluates `random()` again at each reference to `age` or `used`.
 */
function seedSqlite(file, count, userIds, now) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  try {
    const started = performance.now();
    db.transaction(() => {
      db.prepare(
        `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, idle_expires_at, absolute_expires_at,
                                    revoked_at, revoked_reason, user_agent, ip)
         WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < @count),
           a AS MATERIALIZED (SELECT i, ${3_600_000} + abs(random()) % ${28 * DAY} AS age FROM seq),
           b AS MATERIALIZED (SELECT i, age, abs(random()) % min(age, ${6 * DAY}) AS used FROM a)
         SELECT ${SQLITE_UUID}, ${userIdCase('i', userIds)}, @now - age,
                @now - used, @now - used + ${7 * DAY}, @now - age + ${30 * DAY},
                NULL, NULL, ${userAgentCase('i')},
                '10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256)
         FROM b`,
      ).run({ count, now });
      db.prepare(
        `INSERT INTO auth_refresh_tokens (id, session_id, issued_at, expires_at, spent_at, successor_id)
         SELECT ${SQLITE_UUID}, s.id, s.last_used_at, s.idle_expires_at, NULL, NULL
         FROM auth_sessions s
         WHERE NOT EXISTS (SELECT 1 FROM auth_refresh_tokens t WHERE t.session_id = s.id)`,
      ).run();
    })();
    const seedMs = performance.now() - started;
    const checkpointStarted = performance.now();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { seedMs, vacuumMs: performance.now() - checkpointStarted };
  } finally {
    db.close();
  }
}

async function countRows(engine, db) {
  const sql =
    'SELECT (SELECT count(*) FROM auth_sessions) AS sessions, (SELECT count(*) FROM auth_refresh_tokens) AS tokens';
  if (engine === 'sqlite') {
    const Database = require('better-sqlite3');
    const handle = new Database(db.file, { readonly: true });
    try {
      return handle.prepare(sql).get();
    } finally {
      handle.close();
    }
  }
  const { rows } = await withPg(db.url, (client) => client.query(sql));
  return { sessions: Number(rows[0].sessions), tokens: Number(rows[0].tokens) };
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

/** Registers USERS users: they own every seeded session. */
async function createUsers(server) {
  const users = [];
  for (let k = 0; k < USERS; k++) users.push(await register(server, k));
  return users;
}

const errors = [];

/** WORKERS loops for WARMUP_MS + MEASURE_MS; rotations that end inside the measured window, per second. */
/** sqlite-commit-rate.mjs in a child process, on the servers' disk (the temp dir): durable commits/s. */
async function commitRate() {
  const output = await runNode(join(ROOT, 'bench/sqlite-commit-rate.mjs'), [tempDir, '3000'], {
    env: { PATH: process.env.PATH ?? '' },
    cwd: tempDir,
  });
  return JSON.parse(output.trim().split('\n').pop()).commitsPerSecond;
}

function throughput(server, sessions, label) {
  return closedLoop({
    clients: sessions.length,
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
    step: (client) => rotate(server, sessions[client], errors, label),
  });
}

/** Sequential refreshes on one session: warm-up, then `samples` timed ones (ms). */
async function latencies(server, session, label) {
  for (let n = 0; n < LATENCY_WARMUP; n++) await rotate(server, session, errors, label);
  const times = [];
  for (let n = 0; n < LATENCY_SAMPLES; n++) {
    const t0 = performance.now();
    if (await rotate(server, session, errors, label)) times.push(performance.now() - t0);
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------------------
// Run

async function prepareEngine(engine) {
  const dbs = {};
  for (const size of ['1k', '1M']) {
    if (engine === 'sqlite') {
      const file = join(tempDir, `auth-${size}.sqlite`);
      dbs[size] = { size, file, url: `sqlite:${file}` };
    } else {
      dbs[size] = {
        size,
        url: await createPgDatabase(`nest_auth_bench_${runId}_${size.toLowerCase()}`),
      };
    }
  }
  for (const db of Object.values(dbs)) {
    // First boot runs the migrations; then real users and their sessions, over HTTP.
    const server = await startServer(`${engine}-${db.size}`, db.url);
    db.users = await createUsers(server);
    db.workerSessions = [];
    for (let w = 0; w < WORKERS; w++)
      db.workerSessions.push(await login(server, db.users[w % USERS]));
    db.latencySession = await login(server, db.users[0]);
    await stopServer(server);
    // Bulk seeding, server stopped (required for SQLite, done the same way on PostgreSQL).
    const target = db.size === '1k' ? SMALL : LARGE;
    const before = await countRows(engine, { ...db });
    const count = target - before.sessions;
    const userIds = db.users.map((user) => user.id);
    const now = Date.now();
    const { seedMs, vacuumMs } =
      engine === 'sqlite'
        ? seedSqlite(db.file, count, userIds, now)
        : await seedPostgres(db.url, count, userIds, now);
    db.seeded = count;
    db.seedMs = seedMs;
    db.vacuumMs = vacuumMs;
    db.rows = await countRows(engine, db);
    log(
      `  ${engine} ${db.size}: seeded ${count.toLocaleString('en')} sessions + tokens in ${(seedMs / 1000).toFixed(1)} s` +
        ` (${engine === 'sqlite' ? 'checkpoint' : 'vacuum analyze'} ${(vacuumMs / 1000).toFixed(1)} s);` +
        ` now ${db.rows.sessions.toLocaleString('en')} sessions, ${db.rows.tokens.toLocaleString('en')} refresh tokens`,
    );
    db.server = await startServer(`${engine}-${db.size}`, db.url);
  }
  return dbs;
}

async function main() {
  assertBuilt();
  log(
    `refresh benchmark: ${USERS} users, 1k = ${SMALL.toLocaleString('en')} and 1M = ${LARGE.toLocaleString('en')} sessions`,
  );
  log('preparing databases (register + login over HTTP, then bulk seeding):');
  const engines = {
    sqlite: await prepareEngine('sqlite'),
    postgres: await prepareEngine('postgres'),
  };
  const targets = [
    engines.sqlite['1k'],
    engines.sqlite['1M'],
    engines.postgres['1k'],
    engines.postgres['1M'],
  ];

  // Latency: rounds alternate over the four servers, in a rotated order each round.
  log(
    `latency: ${LATENCY_ROUNDS} rounds x ${LATENCY_SAMPLES} sequential refreshes per server, alternating`,
  );
  for (const db of targets) db.latency = { rounds: [], all: [] };
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (let n = 0; n < targets.length; n++) {
      const db = targets[(n + round) % targets.length];
      const times = await latencies(db.server, db.latencySession, `latency ${db.server.name}`);
      db.latency.rounds.push(quantile(times, 0.5));
      db.latency.all.push(...times);
    }
  }

  // Throughput on the 1k databases: rounds alternate SQLite and PostgreSQL (ABBA...).
  log(
    `throughput: ${THROUGHPUT_ROUNDS} rounds x (${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s) per engine, ${WORKERS} workers, alternating`,
  );
  // Each round also probes the disk's one-row durable commit rate on SQLite (sqlite-commit-rate.mjs), the ceiling
  // SQLite's rotations are compared with, paired within the round.
  const rates = { sqlite: [], postgres: [], commits: [] };
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    const order = round % 2 === 0 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite'];
    for (const engine of order) {
      const db = engines[engine]['1k'];
      rates[engine].push(await throughput(db.server, db.workerSessions, `throughput ${engine}`));
    }
    rates.commits.push(await commitRate());
    log(
      `  round ${round + 1}: sqlite ${rates.sqlite[round].toFixed(0)}/s, postgres ${rates.postgres[round].toFixed(0)}/s,` +
        ` SQLite durable commits ${rates.commits[round].toFixed(0)}/s`,
    );
  }

  // Durability: the SQLite 1k database served with SQLITE_SYNCHRONOUS=full (the default: every commit synced to
  // disk) and with normal (synced at checkpoints), alternating; the temp dir is on the machine's disk, not tmpfs.
  log(`durability: SQLite full vs normal, ${DURABILITY_ROUNDS} rounds each, alternating`);
  const sqliteSmall = engines.sqlite['1k'];
  const normal = await startServer('sqlite-1k-normal', sqliteSmall.url, {
    SQLITE_SYNCHRONOUS: 'normal',
  });
  const durability = { full: [], normal: [] };
  for (let round = 0; round < DURABILITY_ROUNDS; round++) {
    const order = round % 2 === 0 ? ['full', 'normal'] : ['normal', 'full'];
    for (const mode of order) {
      const server = mode === 'full' ? sqliteSmall.server : normal;
      durability[mode].push(
        await throughput(server, sqliteSmall.workerSessions, `durability ${mode}`),
      );
    }
    log(
      `  round ${round + 1}: full ${durability.full[round].toFixed(0)}/s, normal ${durability.normal[round].toFixed(0)}/s`,
    );
  }
  await stopServer(normal);

  // Results.
  const result = { sessions: { small: SMALL, large: LARGE }, databases: {} };
  result.sqliteDurability = {
    fullPerSecond: Math.round(median(durability.full)),
    normalPerSecond: Math.round(median(durability.normal)),
    fullOverNormal: round2(median(durability.full) / median(durability.normal)),
  };
  for (const engine of ['sqlite', 'postgres']) {
    const small = engines[engine]['1k'];
    const large = engines[engine]['1M'];
    // The ratio of the two medians (what the table shows); the per-round ratios show how much it moves.
    const ratio = median(large.latency.rounds) / median(small.latency.rounds);
    const ratios = small.latency.rounds.map((p50, round) => large.latency.rounds[round] / p50);
    result.databases[engine] = {
      refreshPerSecond: Math.round(median(rates[engine])),
      refreshPerSecondRounds: rates[engine].map(Math.round),
      p50Ms1k: round2(median(small.latency.rounds)),
      p99Ms1k: round2(quantile(small.latency.all, 0.99)),
      p50Ms1M: round2(median(large.latency.rounds)),
      p99Ms1M: round2(quantile(large.latency.all, 0.99)),
      p50Ratio1MOver1k: round2(ratio),
      p50RatioRounds: ratios.map(round2),
      withinTarget: ratio <= TARGET_RATIO,
      seedSeconds1M: round2(large.seedMs / 1000),
      postSeedSeconds1M: round2(large.vacuumMs / 1000),
      rows1M: large.rows,
    };
  }
  const pairRatios = rates.postgres.map((pg, round) => pg / rates.sqlite[round]);
  result.postgresOverSqliteThroughput = round2(median(rates.postgres) / median(rates.sqlite));
  result.postgresOverSqliteRounds = pairRatios.map(round2);
  const commitRatios = rates.sqlite.map((rate, round) => rate / rates.commits[round]);
  result.sqliteCommitsPerSecond = Math.round(median(rates.commits));
  result.sqliteRotationsOverCommits = round2(median(commitRatios));
  result.sqliteRotationsOverCommitsRounds = commitRatios.map(round2);
  result.errors = errors.length;
  result.durationSeconds = Math.round((performance.now() - startedAt) / 1000);

  const s = result.databases.sqlite;
  const p = result.databases.postgres;
  const rows = [
    [`refresh rotations/s (${WORKERS} workers)`, s.refreshPerSecond, p.refreshPerSecond],
    ['p50 ms, 1k sessions', s.p50Ms1k, p.p50Ms1k],
    ['p99 ms, 1k sessions', s.p99Ms1k, p.p99Ms1k],
    [`p50 ms, ${LARGE.toLocaleString('en')} sessions`, s.p50Ms1M, p.p50Ms1M],
    [`p99 ms, ${LARGE.toLocaleString('en')} sessions`, s.p99Ms1M, p.p99Ms1M],
    [`p50 ratio 1M/1k (target ≤ ${TARGET_RATIO})`, verdict(s), verdict(p)],
    [
      `seeding ${LARGE.toLocaleString('en')} sessions + tokens, s`,
      s.seedSeconds1M,
      p.seedSeconds1M,
    ],
  ];
  log('');
  logTable(['figure', 'SQLite', 'PostgreSQL'], rows, [40, 12, 12]);
  log('');
  log(
    `PostgreSQL/SQLite throughput: ${result.postgresOverSqliteThroughput} (per round: ${result.postgresOverSqliteRounds.join(', ')})`,
  );
  log(
    `p50 ratio 1M/1k per round: SQLite ${s.p50RatioRounds.join(', ')}; PostgreSQL ${p.p50RatioRounds.join(', ')}`,
  );
  log(
    `SQLite rotations/s ÷ one-row durable commits/s (${result.sqliteCommitsPerSecond}/s): ` +
      `${result.sqliteRotationsOverCommits} ${result.sqliteRotationsOverCommits >= 0.4 ? 'ok' : 'MISS'} (≥ 0.4;` +
      ` per round: ${result.sqliteRotationsOverCommitsRounds.join(', ')})`,
  );
  const d = result.sqliteDurability;
  log(
    `SQLite rotations/s, synchronous FULL ${d.fullPerSecond} vs NORMAL ${d.normalPerSecond}: full/normal ${d.fullOverNormal}`,
  );
  log(`errors (non-200 refreshes): ${errors.length}`);
  for (const error of errors.slice(0, 5)) log(`  ${error.where}: ${error.status} ${error.body}`);
  log(`run took ${result.durationSeconds} s`);
  log(`BENCH ${JSON.stringify(result)}`);
  return errors.length === 0;
}

const verdict = (db) => `${db.p50Ratio1MOver1k.toFixed(2)} ${db.withinTarget ? 'ok' : 'OVER'}`;

await runBenchmark(main, { cleanUp: dropPgDatabases });
