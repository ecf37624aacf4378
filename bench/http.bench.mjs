// Sessions under load, on the reference server (`npm run bench`, section "load"): plain Node ESM on the built `dist/`.
// (The guard's figures, paired against the NestJS docs' recipe, and boot and footprint are host.bench.mjs's.)
//
// Two servers run side by side for the whole run: `node dist/main.js` on Express and on Fastify (production
// settings, each on its own SQLite file with `synchronous=FULL`, request logging at LOG_LEVEL info as in production).
// The machine is shared and noisy, so a figure is only compared with a ceiling measured in the same round:
//   - Refresh rotations/s: 8 clients each rotating its own chain (a durable transaction per rotation), against the
//     machine's one-row durable commit rate on SQLite (sqlite-commit-rate.mjs: same driver, WAL, synchronous=FULL,
//     in a process of its own) probed in the same round: target ≥ 0.4.
//   - Login storm: 8 clients logging in as fast as they can, while a probe asks GET /protected every 20 ms. Logins
//     are bounded by bcrypt, so their rate is compared with the machine's raw bcrypt rate (bcrypt-rate.mjs, same
//     cost, same thread-pool size; target ≥ 0.85); the probe's p99 (target ≤ 25 ms) says whether bcrypt work starves
//     the event loop for everyone else.
//   - POST /auth/password/forgot for a known and for unknown addresses, FORGOT_REQUESTS of each, one at a time and
//     interleaved (known, unknown, unknown, known, ...: neither kind always goes first), after the RSS runs: medians
//     and p90 of each, and their differences; and the latency of the request right after each (a GET /public on the
//     same connection), by the kind of the forgot before it: work after the answer on the event loop (SQLite's writes
//     for a known address) would slow that next request. The contract wants no measurable difference in either (the
//     lookup and the mail's writes run in a batch 100 ms later, off the request path). Work done later shows in
//     whichever request overlaps it, so GET /public probes then run back to back for FORGOT_PROBE_MS after each, and
//     the slowest of them is kept, by kind. BENCH_ONLY=forgot runs this measurement alone;
//     BENCH_FORGOT_REQUESTS (200) sets how many of each kind.
//   - A leak check over BENCH_REFRESHES refreshes (after the rounds, so JIT and caches are warm; both servers at
//     once, as memory is no rate): the live heap (what a full collection leaves, support/live-heap.mjs) before and
//     after, target growth ≤ 10 MB (a leak of 500 bytes a refresh would show). The RSS before, after each quarter and
//     after is printed beside it, for information: under load V8 grows its young generation and lets the old one
//     fill with garbage up to its next major collection, so RSS climbs whether or not anything leaks.
// Before the first round each server rotates its chains for 5 s, unrecorded (JIT warm-up). Each measurement is
// repeated over BENCH_ROUNDS rounds, its targets taken in a rotated order each round (A B C,
// B C A, ...) so that no target always runs first or after the same one. Ratios are taken within each round and
// the figure is their median (paired rounds); the per-round ratios are printed too, to show how much they move.
// Any non-2xx answer or connection error fails the run (exit code 1); a missed target prints MISS, and fails the run
// only with BENCH_STRICT=1.
//
// Environment: BENCH_ONLY (refresh | storm | forgot | rss: that measurement alone), BENCH_ROUNDS (3), BENCH_SECONDS
// (4), BENCH_REFRESHES (20000), BENCH_LOG_LEVEL (info) of the servers, BENCH_STRICT (unset). Everything it creates
// is removed at the end.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { login, password, register, rotate } from './support/auth-client.mjs';
import { createAgent, get, post } from './support/http.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { liveHeapMb } from './support/live-heap.mjs';
import { closedLoop } from './support/load.mjs';
import { log, logTable, logTargets, target } from './support/report.mjs';
import {
  assertBuilt,
  freePort,
  isRunning,
  JWT_SECRET,
  ROOT,
  runNode,
  serverEnv,
  startServer,
} from './support/servers.mjs';
import { median, quantile, round2 } from './support/stats.mjs';

const BCRYPT_RATE = join(ROOT, 'bench/bcrypt-rate.mjs');
const COMMIT_RATE = join(ROOT, 'bench/sqlite-commit-rate.mjs');

const ROUNDS = envInteger('BENCH_ROUNDS', 3, 1);
const MEASURE_MS = envInteger('BENCH_SECONDS', 4, 1) * 1000;
const RSS_REFRESHES = envInteger('BENCH_REFRESHES', 20_000, 0);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const STRICT = process.env.BENCH_STRICT === '1';
const ONLY = process.env.BENCH_ONLY;
const runs = (section) => ONLY === undefined || ONLY === 'load' || ONLY === section;
const FORGOT_REQUESTS = Number(process.env.BENCH_FORGOT_REQUESTS ?? 200);
/** How long after each forgot's answer probes run back to back: past the batch's delay and its work. */
const FORGOT_PROBE_MS = 250;
const WARMUP_MS = 1_000;
/** Refreshes per server before the first round, unrecorded (see {@link warmUp}). */
const SERVER_WARMUP_MS = 5_000;
const CLIENTS = 8; // concurrent clients of the refresh, login-storm and bcrypt measurements
const PROBE_EVERY_MS = 20;
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

// Targets by adapter: minimums of ratios, maximums of the probe's p99 (ms) and of the live heap's growth (MB). A figure
// without a target for an adapter is reported for information.
const TARGETS = {
  refreshOverCommit: { express: { min: 0.4 }, fastify: { min: 0.4 } },
  loginsOverBcrypt: { express: { min: 0.85 }, fastify: { min: 0.85 } },
  probeP99Ms: { express: { max: 25 }, fastify: { max: 25 } },
  liveHeapGrowthMb: { express: { max: 10 }, fastify: { max: 10 } },
};

const startedAt = performance.now();
const tempDir = makeTempDir();
// Every failed request: `{ where, status, body, count }`.
const failures = [];

function envInteger(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number ≥ ${min} (got "${raw}")`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Servers and their users

/** The reference server on `adapter`, its own SQLite file, one registered user and CLIENTS refresh sessions. */
async function startAdapter(adapter, label) {
  const databaseUrl = `sqlite:${join(tempDir, `${adapter}.sqlite`)}`;
  const env = serverEnv({ databaseUrl, adapter, logLevel: LOG_LEVEL });
  // The login storm signs the one user in hundreds of times: at the default cap (100) its logins would retire the
  // probe's session and the refresh chains (401s). The cap's own cost is measured by bench:sessions, not here.
  env.SESSIONS_PER_USER = '10000';
  // Above info, pino drops the "Listening on" line: then the port is chosen here and /health polled instead.
  const quiet = QUIET_LEVELS.has(LOG_LEVEL);
  if (quiet) env.PORT = String(await freePort());
  const server = await startServer(adapter, {
    env,
    cwd: tempDir,
    // The leak check's live heap is read through the inspector, which stays off until then (support/live-heap.mjs).
    nodeArgs: ['--inspect-port=0'],
    url: quiet ? `http://127.0.0.1:${env.PORT}` : undefined,
  });
  const user = await register(server, 0);
  const sessions = [];
  for (let client = 0; client < CLIENTS; client++) sessions.push(await login(server, user));
  return { name: adapter, label, server, user, sessions, accessToken: undefined };
}

/** A fresh access token per round: the 15-minute default lifetime then never ends inside a measurement. */
async function signIn(adapter) {
  adapter.accessToken = (await login(adapter.server, adapter.user)).accessToken;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

/** A request that failed without an answer (a reset, a refused connection): `{ where, status, body, count }`. */
const networkFailure = (where, error) => ({
  where,
  status: error.code ?? 'error',
  body: error.message,
  count: 1,
});

/**
 * Runs one step of a load loop against `server`; a network error counts as a failed request and the loop goes on,
 * unless the server is gone: then the run ends (a loop would only pile up refused connections).
 */
async function survive(server, where, step) {
  try {
    return await step();
  } catch (error) {
    if (!isRunning(server)) throw new Error(`${server.name} is gone (${where}): ${error.message}`);
    failures.push(networkFailure(where, error));
    return false;
  }
}

/**
 * CLIENTS chains rotated as fast as they go, `warmupMs` (1 s) then `measureMs` (MEASURE_MS): rotations/s. `where`
 * names the measurement in failures.
 */
function refreshRate(
  adapter,
  { warmupMs = WARMUP_MS, measureMs = MEASURE_MS, where = 'refresh' } = {},
) {
  const label = `${where} ${adapter.name}`;
  return closedLoop({
    clients: CLIENTS,
    warmupMs,
    measureMs,
    step: (client) =>
      survive(adapter.server, label, () =>
        rotate(adapter.server, adapter.sessions[client], failures, label),
      ),
  });
}

/**
 * Before the first round, each server rotates its chains for SERVER_WARMUP_MS, unrecorded, so that V8's optimisation
 * of the refresh path is not measured in round one (in one run without it, round one's refresh rates were 35-45%
 * below the later rounds'; with it the rates still move by a quarter from round to round on this machine, which is
 * why ratios are taken per round).
 */
async function warmUp(adapters) {
  log(`warm-up: ${SERVER_WARMUP_MS / 1000} s of refreshes per server, not recorded`);
  for (const adapter of adapters)
    await refreshRate(adapter, { warmupMs: 0, measureMs: SERVER_WARMUP_MS, where: 'warm-up' });
}

/** CLIENTS clients logging in for MEASURE_MS while the probe runs: logins/s and the probe's latencies. */
async function loginStorm(adapter) {
  const probe = await startProbe(adapter);
  const rate = await closedLoop({
    clients: CLIENTS,
    measureMs: MEASURE_MS,
    step: () => survive(adapter.server, `login storm ${adapter.name}`, () => loginOnce(adapter)),
  });
  const latencies = await probe.stop();
  return {
    rate,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    probes: latencies.length,
  };
}

async function loginOnce(adapter) {
  const { user, server } = adapter;
  const response = await post(server.url, '/auth/login', {
    email: user.email,
    password: password(user.k),
  });
  if (response.status === 200) return true;
  failures.push({
    where: `login storm ${adapter.name}`,
    status: response.status,
    body: response.text.slice(0, 200),
    count: 1,
  });
  return false;
}

/**
 * GET /protected every PROBE_EVERY_MS on a connection of its own, one request at a time: a tick that finds the last
 * probe still pending is skipped (its latency is still recorded when it ends), so a stalled server is not also
 * queued up behind its own backlog. The connection is opened before the storm, so no probe pays for it.
 */
async function startProbe(adapter) {
  const agent = createAgent();
  const where = `probe ${adapter.name}`;
  const latencies = [];
  const probeOnce = async () => {
    const t0 = performance.now();
    try {
      const response = await get(adapter.server.url, '/protected', {
        agent,
        headers: { authorization: `Bearer ${adapter.accessToken}` },
      });
      latencies.push(performance.now() - t0);
      if (response.status !== 200)
        failures.push({
          where,
          status: response.status,
          body: response.text.slice(0, 200),
          count: 1,
        });
    } catch (error) {
      failures.push(networkFailure(where, error));
    }
  };
  await probeOnce();
  latencies.length = 0;

  let pending;
  const tick = () => {
    if (pending) return;
    pending = probeOnce().finally(() => (pending = undefined));
  };
  const timer = setInterval(tick, PROBE_EVERY_MS);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      agent.destroy();
      return latencies;
    },
  };
}

/** bcrypt-rate.mjs in a child process: compares/s. Only PATH is passed, as to the servers (same thread pool). */
async function bcryptRate() {
  const output = await runNode(BCRYPT_RATE, [String(MEASURE_MS), String(CLIENTS)], {
    env: { PATH: process.env.PATH ?? '' },
    cwd: tempDir,
  });
  return JSON.parse(output.trim().split('\n').pop()).comparesPerSecond;
}

/** sqlite-commit-rate.mjs in a child process, on the servers' disk (the temp dir): durable commits/s. */
async function commitRate() {
  const output = await runNode(COMMIT_RATE, [tempDir, String(Math.min(MEASURE_MS, 3_000))], {
    env: { PATH: process.env.PATH ?? '' },
    cwd: tempDir,
  });
  return JSON.parse(output.trim().split('\n').pop()).commitsPerSecond;
}

/** The server's resident set (VmRSS), MB. */
function rssMb(server) {
  if (!isRunning(server)) throw new Error(`${server.name} is gone: no RSS to read`);
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${server.pid}/status`);
  return Number(match[1]) / 1024;
}

/**
 * The live heap before and after RSS_REFRESHES rotations spread over the CLIENTS chains; the RSS then and after
 * each quarter.
 */
async function memoryGrowth(adapter) {
  const heapBefore = await liveHeapMb(adapter.server);
  const before = rssMb(adapter.server);
  const t0 = performance.now();
  const quarter = Math.max(1, Math.round(RSS_REFRESHES / 4));
  const quartersMb = [];
  let started = 0;
  let done = 0;
  await Promise.all(
    adapter.sessions.map(async (session) => {
      while (started < RSS_REFRESHES) {
        started++;
        await survive(adapter.server, `rss ${adapter.name}`, () =>
          rotate(adapter.server, session, failures, `rss ${adapter.name}`),
        );
        if (++done % quarter === 0 && done < RSS_REFRESHES) {
          quartersMb.push(rssMb(adapter.server));
          log(
            `  ${adapter.label}: ${done.toLocaleString('en')} refreshes, RSS ${quartersMb.at(-1).toFixed(1)} MB`,
          );
        }
      }
    }),
  );
  const after = rssMb(adapter.server);
  const seconds = (performance.now() - t0) / 1000;
  const heapAfter = await liveHeapMb(adapter.server);
  log(
    `  ${adapter.label}: ${RSS_REFRESHES.toLocaleString('en')} refreshes in ${seconds.toFixed(0)} s,` +
      ` live heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB, RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`,
  );
  return {
    liveHeapBeforeMb: heapBefore,
    liveHeapAfterMb: heapAfter,
    liveHeapGrowthMb: heapAfter - heapBefore,
    beforeMb: before,
    afterMb: after,
    growthMb: after - before,
    quartersMb,
  };
}

/**
 * FORGOT_REQUESTS forgot-password requests for the adapter's user and as many for addresses with no account,
 * interleaved, one at a time on one connection, each followed at once by a GET /public: latencies (ms) of each kind,
 * and of the request after each kind. Every answer must be 202 (200 for the next request).
 */
async function forgotTiming(adapter) {
  const agent = createAgent();
  const where = `forgot ${adapter.name}`;
  const latencies = {
    known: [],
    unknown: [],
    nextAfterKnown: [],
    nextAfterUnknown: [],
    slowestAfterKnown: [],
    slowestAfterUnknown: [],
  };
  await post(
    adapter.server.url,
    '/auth/password/forgot',
    { email: 'warm-up@example.com' },
    { agent },
  );
  for (let i = 0; i < FORGOT_REQUESTS * 2; i++) {
    // Pairs alternate which kind goes first: known unknown, unknown known, ...
    const kind = (i + (i >> 1)) % 2 === 0 ? 'known' : 'unknown';
    const email = kind === 'known' ? adapter.user.email : `nobody-${adapter.name}-${i}@example.com`;
    const t0 = performance.now();
    const response = await survive(adapter.server, where, () =>
      post(adapter.server.url, '/auth/password/forgot', { email }, { agent }),
    );
    latencies[kind].push(performance.now() - t0);
    if (response && response.status !== 202)
      failures.push({
        where,
        status: response.status,
        body: response.text.slice(0, 200),
        count: 1,
      });
    const t1 = performance.now();
    const next = await survive(adapter.server, `${where} next`, () =>
      get(adapter.server.url, '/public', { agent }),
    );
    latencies[kind === 'known' ? 'nextAfterKnown' : 'nextAfterUnknown'].push(
      performance.now() - t1,
    );
    if (next && next.status !== 200)
      failures.push({
        where: `${where} next`,
        status: next.status,
        body: next.text.slice(0, 200),
        count: 1,
      });
    // Work done later (a batch, a queue) shows in whichever request overlaps it: probe until it must be over, and
    // keep the slowest probe.
    let slowest = 0;
    while (performance.now() - t1 < FORGOT_PROBE_MS) {
      const t2 = performance.now();
      await survive(adapter.server, `${where} probe`, () =>
        get(adapter.server.url, '/public', { agent }),
      );
      slowest = Math.max(slowest, performance.now() - t2);
    }
    latencies[kind === 'known' ? 'slowestAfterKnown' : 'slowestAfterUnknown'].push(slowest);
  }
  agent.destroy();
  const summary = (values) => ({ p50Ms: quantile(values, 0.5), p90Ms: quantile(values, 0.9) });
  return Object.fromEntries(
    Object.entries(latencies).map(([kind, values]) => [kind, summary(values)]),
  );
}

function logForgot(adapters, timings) {
  const rows = adapters.flatMap(({ name, label }) => {
    const {
      known,
      unknown,
      nextAfterKnown,
      nextAfterUnknown,
      slowestAfterKnown,
      slowestAfterUnknown,
    } = timings[name];
    return [
      [`${label} known address`, round2(known.p50Ms), round2(known.p90Ms)],
      [`${label} unknown address`, round2(unknown.p50Ms), round2(unknown.p90Ms)],
      [
        `${label} known − unknown`,
        round2(known.p50Ms - unknown.p50Ms),
        round2(known.p90Ms - unknown.p90Ms),
      ],
      [
        `${label} next request after known`,
        round2(nextAfterKnown.p50Ms),
        round2(nextAfterKnown.p90Ms),
      ],
      [
        `${label} next request after unknown`,
        round2(nextAfterUnknown.p50Ms),
        round2(nextAfterUnknown.p90Ms),
      ],
      [
        `${label} next: after known − after unknown`,
        round2(nextAfterKnown.p50Ms - nextAfterUnknown.p50Ms),
        round2(nextAfterKnown.p90Ms - nextAfterUnknown.p90Ms),
      ],
      [
        `${label} slowest probe ${FORGOT_PROBE_MS} ms after known`,
        round2(slowestAfterKnown.p50Ms),
        round2(slowestAfterKnown.p90Ms),
      ],
      [
        `${label} slowest probe after unknown`,
        round2(slowestAfterUnknown.p50Ms),
        round2(slowestAfterUnknown.p90Ms),
      ],
      [
        `${label} slowest: after known − after unknown`,
        round2(slowestAfterKnown.p50Ms - slowestAfterUnknown.p50Ms),
        round2(slowestAfterKnown.p90Ms - slowestAfterUnknown.p90Ms),
      ],
    ];
  });
  log(
    `POST /auth/password/forgot, ${FORGOT_REQUESTS} requests of each kind, interleaved, each followed by GET /public` +
      ` and GET /public probes back to back for ${FORGOT_PROBE_MS} ms`,
  );
  logTable(['forgot', 'p50 ms', 'p90 ms'], rows, [48, 10, 10]);
}

// ---------------------------------------------------------------------------------------------------------------
// Rounds

/** `list` rotated left by `round`: A B C, then B C A, then C A B... */
const rotated = (list, round) => list.map((_, n) => list[(n + round) % list.length]);

/** Per-round samples by figure name (e.g. "fastify.protectedRps"); figures are their medians. */
const samples = {};
const record = (name, value) => (samples[name] ??= []).push(value);

async function runRound(round, adapters) {
  log(`round ${round + 1}/${ROUNDS}`);
  for (const adapter of adapters) await signIn(adapter);

  if (runs('refresh')) {
    const refreshJobs = [
      ...adapters.map((adapter) => async () => {
        const rate = await refreshRate(adapter);
        record(`${adapter.name}.refreshPerSecond`, rate);
        log(
          `  ${`${adapter.label} refresh`.padEnd(24)} ${rate.toFixed(0).padStart(6)} rotations/s`,
        );
      }),
      async () => {
        const rate = await commitRate();
        record('sqlite.commitsPerSecond', rate);
        log(`  ${'SQLite commits (raw)'.padEnd(24)} ${rate.toFixed(0).padStart(6)} commits/s`);
      },
    ];
    for (const job of rotated(refreshJobs, round)) await job();
  }

  if (runs('storm')) {
    const stormJobs = [
      ...adapters.map((adapter) => async () => {
        const storm = await loginStorm(adapter);
        record(`${adapter.name}.loginsPerSecond`, storm.rate);
        record(`${adapter.name}.probeP50Ms`, storm.p50Ms);
        record(`${adapter.name}.probeP99Ms`, storm.p99Ms);
        log(
          `  ${`${adapter.label} login storm`.padEnd(24)} ${storm.rate.toFixed(0).padStart(6)} logins/s,` +
            ` probe p50 ${storm.p50Ms.toFixed(2)} ms, p99 ${storm.p99Ms.toFixed(2)} ms (${storm.probes} probes)`,
        );
      }),
      async () => {
        const rate = await bcryptRate();
        record('bcrypt.comparesPerSecond', rate);
        log(`  ${'bcrypt (raw)'.padEnd(24)} ${rate.toFixed(0).padStart(6)} compares/s`);
      },
    ];
    for (const job of rotated(stormJobs, round)) await job();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Results

const has = (name) => samples[name] !== undefined;
const figure = (name) => median(samples[name]);

/** Per-round ratios of two figures measured in the same rounds, and their median. */
function pairedRatio(numerator, denominator) {
  const rounds = samples[numerator].map((value, round) => value / samples[denominator][round]);
  return { value: median(rounds), rounds };
}

function targetsOf(adapters, rss) {
  const entries = [];
  for (const { name } of adapters) {
    const bounds = (key) => TARGETS[key][name] ?? {};
    if (has(`${name}.refreshPerSecond`)) {
      const { value, rounds } = pairedRatio(`${name}.refreshPerSecond`, 'sqlite.commitsPerSecond');
      entries.push(
        target('refresh rotations/s ÷ SQLite durable commits/s', name, value, {
          ...bounds('refreshOverCommit'),
          rounds,
        }),
      );
    }
    if (has(`${name}.loginsPerSecond`)) {
      const { value, rounds } = pairedRatio(`${name}.loginsPerSecond`, 'bcrypt.comparesPerSecond');
      entries.push(
        target('storm logins/s ÷ raw bcrypt compares/s', name, value, {
          ...bounds('loginsOverBcrypt'),
          rounds,
        }),
        target('storm: p99 of guarded GET /protected', name, figure(`${name}.probeP99Ms`), {
          ...bounds('probeP99Ms'),
          unit: ' ms',
          rounds: samples[`${name}.probeP99Ms`],
        }),
      );
    }
    if (rss?.[name])
      entries.push(
        target(
          `live heap growth over ${RSS_REFRESHES.toLocaleString('en')} refreshes`,
          name,
          rss[name].liveHeapGrowthMb,
          {
            ...bounds('liveHeapGrowthMb'),
            unit: ' MB',
          },
        ),
      );
  }
  return entries;
}

function logFigures(adapters, rss) {
  const each = (pick) => adapters.map(pick);
  const value = (key, digits) =>
    each(({ name }) => (has(`${name}.${key}`) ? figure(`${name}.${key}`).toFixed(digits) : '-'));
  const ceiling = (key) => (has(key) ? Math.round(figure(key)) : '-');
  const mb = (key) => each(({ name }) => (rss?.[name] ? round2(rss[name][key]) : '-'));
  const refreshes = RSS_REFRESHES.toLocaleString('en');
  const rows = [
    [
      `refresh rotations/s, ${CLIENTS} clients (SQLite commits/s)`,
      ...value('refreshPerSecond', 0),
      ceiling('sqlite.commitsPerSecond'),
    ],
    [
      'storm logins/s (bcrypt: compares/s)',
      ...value('loginsPerSecond', 0),
      ceiling('bcrypt.comparesPerSecond'),
    ],
    ['storm probe p50 ms', ...value('probeP50Ms', 2), ''],
    ['storm probe p99 ms', ...value('probeP99Ms', 2), ''],
    ['live heap before refreshes, MB', ...mb('liveHeapBeforeMb'), ''],
    [`live heap after ${refreshes} refreshes, MB`, ...mb('liveHeapAfterMb'), ''],
    ['RSS before refreshes, MB', ...mb('beforeMb'), ''],
    [`RSS after ${refreshes} refreshes, MB`, ...mb('afterMb'), ''],
    ['RSS growth, MB', ...mb('growthMb'), ''],
  ];
  logTable(
    ['figure (medians)', ...each((adapter) => adapter.label), 'ceiling'],
    rows,
    [48, 10, 10, 10],
  );
}

/** Medians and per-round values of every figure whose name starts with `group.`. */
function groupJson(group) {
  const prefix = `${group}.`;
  const entries = Object.entries(samples).filter(([name]) => name.startsWith(prefix));
  return {
    ...Object.fromEntries(
      entries.map(([name, values]) => [name.slice(prefix.length), round2(median(values))]),
    ),
    rounds: Object.fromEntries(
      entries.map(([name, values]) => [name.slice(prefix.length), values.map(round2)]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Run

async function main() {
  assertBuilt();
  log(
    `load benchmark: ${ROUNDS} rounds of ${MEASURE_MS / 1000} s per measurement; ${CLIENTS} clients for refresh` +
      ` and logins; servers at LOG_LEVEL=${LOG_LEVEL}`,
  );
  // The machine is shared: the load average before and after says how much else ran meanwhile.
  const loadAtStart = loadavg()[0];
  log(`load average (1 min): ${loadAtStart.toFixed(2)} on ${availableParallelism()} CPUs`);
  log('starting Express and Fastify (SQLite each); registering and signing in');
  const adapters = await Promise.all([
    startAdapter('express', 'Express'),
    startAdapter('fastify', 'Fastify'),
  ]);

  if (runs('refresh') || runs('storm')) {
    await warmUp(adapters);
    for (let round = 0; round < ROUNDS; round++) await runRound(round, adapters);
  }

  let rss;
  if (runs('rss') && RSS_REFRESHES > 0) {
    // Both adapters at once: memory is no rate, so they need not take turns.
    log(
      `RSS: ${RSS_REFRESHES.toLocaleString('en')} refreshes per adapter, ${CLIENTS} clients each, both at once`,
    );
    const growths = await Promise.all(adapters.map(memoryGrowth));
    rss = Object.fromEntries(adapters.map((adapter, k) => [adapter.name, growths[k]]));
  }

  let forgot;
  if (runs('forgot')) {
    forgot = {};
    for (const adapter of adapters) forgot[adapter.name] = await forgotTiming(adapter);
  }

  const entries = targetsOf(adapters, rss);
  const failureCount = failures.reduce((sum, failure) => sum + failure.count, 0);
  log('');
  logFigures(adapters, rss);
  log('');
  logTargets('load figures (medians of per-round ratios)', entries);
  if (forgot) {
    log('');
    logForgot(adapters, forgot);
  }
  log('');
  log(`failed requests (non-2xx or errors): ${failureCount}`);
  for (const failure of failures.slice(0, 10))
    log(`  ${failure.where}: ${failure.status} ${failure.body}`);
  const missed = entries
    .filter((entry) => entry.ok === false)
    .map((e) => `${e.adapter} ${e.figure}`);
  if (missed.length > 0)
    log(`targets missed: ${missed.join('; ')}${STRICT ? '' : ' (BENCH_STRICT=1 to fail on them)'}`);
  const loadAtEnd = loadavg()[0];
  log(`load average (1 min) at the end: ${loadAtEnd.toFixed(2)}`);
  const result = {
    config: {
      rounds: ROUNDS,
      seconds: MEASURE_MS / 1000,
      clients: CLIENTS,
      refreshes: RSS_REFRESHES,
      logLevel: LOG_LEVEL,
      loadAverage: { start: round2(loadAtStart), end: round2(loadAtEnd) },
    },
    ...Object.fromEntries(
      adapters.map(({ name }) => [name, { ...groupJson(name), rss: rss?.[name] }]),
    ),
    sqlite: groupJson('sqlite'),
    bcrypt: groupJson('bcrypt'),
    forgot,
    failures: failureCount,
    durationSeconds: Math.round((performance.now() - startedAt) / 1000),
  };
  log(`run took ${result.durationSeconds} s`);
  log(`BENCH ${JSON.stringify(result)}`);
  return failureCount === 0 && (!STRICT || missed.length === 0);
}

await runBenchmark(main);
