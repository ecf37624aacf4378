// HTTP benchmark of the reference server (`npm run bench`): plain Node ESM, runs on the built `dist/`.
//
// Three servers run side by side for the whole run: `node dist/main.js` on Express and on Fastify (production
// settings, each on its own SQLite file, request logging at LOG_LEVEL info as in production), and the floor
// (floor-server.mjs: a bare node:http server doing only the HS256 check of an access token). The machine is shared
// and noisy, so the figures are compared with each other within one run, never with another run's:
//   - GET /public and GET /protected of each adapter, and the floor, under autocannon (50 connections, 1 s warm-up
//     then BENCH_SECONDS measured): requests/s and p99 latency. /public is the cost of the framework with the
//     module's global guard skipping the route; /protected adds the access-token check (no database query), so
//     /protected ÷ /public is what the guard costs. The floor is what that check costs with nothing around it, so
//     /protected ÷ floor is how much of the machine the framework, the guard and the logging leave to the check.
//     autocannon runs in this process, on the same 2 cores: against the floor, the fastest target, the floor's
//     process was at ~100% of a core and autocannon at ~65%, and worker threads (BENCH_AUTOCANNON_WORKERS) gave no
//     more, so the figures are the servers', not the load generator's.
//   - Refresh rotations/s: 8 clients each rotating its own chain (a database transaction per rotation), compared
//     with the floor's rate as the one figure of the machine's raw request speed measured in the same run.
//   - Login storm: 8 clients logging in as fast as they can, while a probe asks GET /protected every 20 ms. Logins
//     are bounded by bcrypt, so their rate is compared with the machine's raw bcrypt rate (bcrypt-rate.mjs, same
//     cost, same thread-pool size); the probe's p99 says whether bcrypt work stalls the event loop for everyone else.
//   - POST /auth/password/forgot for a known and for unknown addresses, FORGOT_REQUESTS of each, one at a time and
//     interleaved (known, unknown, unknown, known, ...: neither kind always goes first), after the RSS runs: medians
//     and p90 of each, and their differences; and the latency of the request right after each (a GET /public on the
//     same connection), by the kind of the forgot before it: work after the answer on the event loop (SQLite's writes
//     for a known address) would slow that next request. The contract wants no measurable difference in either (the
//     lookup and the mail's writes run in a batch 100 ms later, off the request path). Work done later shows in
//     whichever request overlaps it, so GET /public probes then run back to back for FORGOT_PROBE_MS after each, and
//     the slowest of them is kept, by kind. BENCH_ONLY=forgot runs this measurement alone;
//     BENCH_FORGOT_REQUESTS (200) sets how many of each kind.
//   - RSS of each server before and after BENCH_REFRESHES refreshes (after the rounds, so JIT and caches are warm;
//     both servers at once, as RSS is no rate): growth that keeps climbing with the refreshes would be a leak. The
//     reading before still holds the heap the autocannon runs grew, which V8 gives back only slowly, so the growth
//     can come out negative; the readings after each quarter (BENCH line) show the trend.
// Each measurement is repeated over BENCH_ROUNDS rounds, its targets taken in a rotated order each round (A B C,
// B C A, ...) so that no target always runs first or after the same one. Figures are medians over the rounds;
// ratios are ratios of those medians (per-round ratios are printed too, to show how much they move).
// Any non-2xx answer or connection error fails the run (exit code 1); a missed target prints MISS, and fails the run
// only with BENCH_STRICT=1.
//
// Environment: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_REFRESHES (100000), BENCH_LOG_LEVEL (info) of the
// servers, BENCH_STRICT (unset), BENCH_AUTOCANNON_WORKERS (unset: autocannon in this process; n: in n worker
// threads, to check whether the load generator limits the rates). Everything it creates is removed at the end.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { login, password, register, rotate } from './support/auth-client.mjs';
import { createAgent, get, post } from './support/http.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { closedLoop } from './support/load.mjs';
import { log, logTable } from './support/report.mjs';
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

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const FLOOR = join(ROOT, 'bench/floor-server.mjs');
const BCRYPT_RATE = join(ROOT, 'bench/bcrypt-rate.mjs');

const ROUNDS = envInteger('BENCH_ROUNDS', 3, 1);
const MEASURE_MS = envInteger('BENCH_SECONDS', 5, 1) * 1000;
const RSS_REFRESHES = envInteger('BENCH_REFRESHES', 100_000, 0);
const AUTOCANNON_WORKERS = envInteger('BENCH_AUTOCANNON_WORKERS', 0, 0);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const STRICT = process.env.BENCH_STRICT === '1';
const ONLY_FORGOT = process.env.BENCH_ONLY === 'forgot';
const FORGOT_REQUESTS = Number(process.env.BENCH_FORGOT_REQUESTS ?? 200);
/** How long after each forgot's answer probes run back to back: past the batch's delay and its work. */
const FORGOT_PROBE_MS = 250;
const WARMUP_MS = 1_000;
const CONNECTIONS = 50; // autocannon's, per run
const CLIENTS = 8; // concurrent clients of the refresh, login-storm and bcrypt measurements
const PROBE_EVERY_MS = 20;
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

// Targets by adapter: minimums of ratios, maximums of the probe's p99 (ms) and of the RSS growth (MB). A figure
// without a target for an adapter is reported for information.
const TARGETS = {
  protectedOverPublic: { express: { min: 0.8 }, fastify: { min: 0.75 } },
  protectedOverFloor: { fastify: { min: 0.6 } },
  refreshOverFloor: { fastify: { min: 0.08 } },
  loginsOverBcrypt: { express: { min: 0.9 }, fastify: { min: 0.9 } },
  probeP99Ms: { express: { max: 25 }, fastify: { max: 25 } },
  rssGrowthMb: { express: { max: 50 }, fastify: { max: 50 } },
};

const startedAt = performance.now();
const tempDir = makeTempDir();
// Every failed request: `{ where, status, body, count }` (count > 1 for autocannon's totals).
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
    url: quiet ? `http://127.0.0.1:${env.PORT}` : undefined,
  });
  const user = await register(server, 0);
  const sessions = [];
  for (let client = 0; client < CLIENTS; client++) sessions.push(await login(server, user));
  return { name: adapter, label, server, user, sessions, accessToken: undefined };
}

/** The floor, with the reference servers' access-token secret: it accepts their access tokens. */
function startFloor() {
  return startServer('floor', {
    script: FLOOR,
    env: { PATH: process.env.PATH ?? '', JWT_SECRET },
    cwd: tempDir,
  });
}

/** A fresh access token per round: the 15-minute default lifetime then never ends inside a measurement. */
async function signIn(adapter) {
  adapter.accessToken = (await login(adapter.server, adapter.user)).accessToken;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

/** autocannon on one URL: warm-up (discarded), then the measured run; requests/s (mean) and p99 latency. */
async function cannon(where, url, token) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: MEASURE_MS / 1000,
    warmup: { connections: CONNECTIONS, duration: WARMUP_MS / 1000 },
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(AUTOCANNON_WORKERS > 0 ? { workers: AUTOCANNON_WORKERS } : {}),
  });
  countCannonFailures(`${where} (warm-up)`, result.warmup);
  countCannonFailures(where, result);
  return { rps: result.requests.average, p99Ms: result.latency.p99 };
}

function countCannonFailures(where, result) {
  // autocannon's warm-up result may lack the counters: a missing one counts as none, not as NaN.
  const count = (result.non2xx ?? 0) + (result.errors ?? 0);
  if (count === 0) return;
  failures.push({
    where,
    status: `${result.non2xx} non-2xx, ${result.errors} errors (${result.timeouts} timeouts)`,
    body: JSON.stringify(result.statusCodeStats),
    count,
  });
}

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

/** CLIENTS chains rotated as fast as they go, 1 s warm-up then MEASURE_MS: rotations/s. */
function refreshRate(adapter) {
  return closedLoop({
    clients: CLIENTS,
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
    step: (client) =>
      survive(adapter.server, `refresh ${adapter.name}`, () =>
        rotate(adapter.server, adapter.sessions[client], failures, `refresh ${adapter.name}`),
      ),
  });
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

/** The server's resident set (VmRSS), MB. */
function rssMb(server) {
  if (!isRunning(server)) throw new Error(`${server.name} is gone: no RSS to read`);
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${server.pid}/status`);
  return Number(match[1]) / 1024;
}

/** RSS before and after RSS_REFRESHES rotations spread over the CLIENTS chains, and after each quarter. */
async function rssGrowth(adapter) {
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
  log(
    `  ${adapter.label}: ${RSS_REFRESHES.toLocaleString('en')} refreshes in ${seconds.toFixed(0)} s,` +
      ` RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`,
  );
  return { beforeMb: before, afterMb: after, growthMb: after - before, quartersMb };
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
    const { known, unknown, nextAfterKnown, nextAfterUnknown, slowestAfterKnown, slowestAfterUnknown } =
      timings[name];
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

function httpJobs(adapters, floor) {
  const fastify = adapters.find((adapter) => adapter.name === 'fastify');
  const jobs = [];
  for (const adapter of adapters) {
    jobs.push({
      figures: [`${adapter.name}.publicRps`, `${adapter.name}.publicP99Ms`],
      label: `${adapter.label} GET /public`,
      run: () => cannon(`${adapter.name} /public`, new URL('/public', adapter.server.url).href),
    });
    jobs.push({
      figures: [`${adapter.name}.protectedRps`, `${adapter.name}.protectedP99Ms`],
      label: `${adapter.label} GET /protected`,
      run: () =>
        cannon(
          `${adapter.name} /protected`,
          new URL('/protected', adapter.server.url).href,
          adapter.accessToken,
        ),
    });
  }
  // The floor checks a token the Fastify server issued: same secret, same claims.
  jobs.push({
    figures: ['floor.rps', 'floor.p99Ms'],
    label: 'floor GET /',
    run: () => cannon('floor /', new URL('/', floor.url).href, fastify.accessToken),
  });
  return jobs;
}

async function runRound(round, adapters, floor) {
  log(`round ${round + 1}/${ROUNDS}`);
  for (const adapter of adapters) await signIn(adapter);

  for (const job of rotated(httpJobs(adapters, floor), round)) {
    const { rps, p99Ms } = await job.run();
    record(job.figures[0], rps);
    record(job.figures[1], p99Ms);
    log(`  ${job.label.padEnd(24)} ${rps.toFixed(0).padStart(6)} req/s, p99 ${p99Ms} ms`);
  }

  for (const adapter of rotated(adapters, round)) {
    const rate = await refreshRate(adapter);
    record(`${adapter.name}.refreshPerSecond`, rate);
    log(`  ${`${adapter.label} refresh`.padEnd(24)} ${rate.toFixed(0).padStart(6)} rotations/s`);
  }

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

// ---------------------------------------------------------------------------------------------------------------
// Results

const figure = (name) => median(samples[name]);

/** A figure of one adapter against its target in TARGETS (none: reported for information only). */
function check(adapter, key, label, [value, rounds]) {
  const target = TARGETS[key][adapter] ?? {};
  const ok =
    (target.min === undefined || value >= target.min) &&
    (target.max === undefined || value <= target.max);
  return { name: `${adapter}.${key}`, adapter, label, value, rounds, ...target, ok };
}

/** The ratio of two figures' medians, and the ratios round by round. */
const ratio = (numerator, denominator) => [
  figure(numerator) / figure(denominator),
  samples[numerator].map((value, round) => value / samples[denominator][round]),
];

function checks(adapters, rss) {
  return adapters.flatMap(({ name }) => {
    const own = (figureName) => `${name}.${figureName}`;
    const growth = rss[name].growthMb;
    return [
      check(
        name,
        'protectedOverPublic',
        '/protected ÷ /public req/s',
        ratio(own('protectedRps'), own('publicRps')),
      ),
      check(
        name,
        'protectedOverFloor',
        '/protected ÷ floor req/s',
        ratio(own('protectedRps'), 'floor.rps'),
      ),
      check(
        name,
        'refreshOverFloor',
        'refresh rotations/s ÷ floor req/s',
        ratio(own('refreshPerSecond'), 'floor.rps'),
      ),
      check(
        name,
        'loginsOverBcrypt',
        'logins/s ÷ bcrypt compares/s',
        ratio(own('loginsPerSecond'), 'bcrypt.comparesPerSecond'),
      ),
      check(name, 'probeP99Ms', 'storm probe p99 ms', [
        figure(own('probeP99Ms')),
        samples[own('probeP99Ms')],
      ]),
      check(name, 'rssGrowthMb', `RSS growth MB, ${RSS_REFRESHES.toLocaleString('en')} refreshes`, [
        growth,
        [growth],
      ]),
    ];
  });
}

const hasTarget = (entry) => entry.min !== undefined || entry.max !== undefined;

function verdict(entry) {
  // Three decimals for ratios with a minimum: 0.897 must not read as 0.90 next to "MISS (≥ 0.90)".
  const value = entry.value.toFixed(entry.min === undefined ? 2 : 3);
  if (!hasTarget(entry)) return `${value} (info)`;
  const bound = entry.min !== undefined ? `≥ ${entry.min.toFixed(2)}` : `≤ ${entry.max}`;
  return `${value} ${entry.ok ? 'ok' : 'MISS'} (${bound})`;
}

function logFigures(adapters, rss) {
  const each = (pick) => adapters.map(pick);
  const rate = (key) => each(({ name }) => Math.round(figure(`${name}.${key}`)));
  const ms = (key) => each(({ name }) => round2(figure(`${name}.${key}`)));
  const mb = (key) => each(({ name }) => round2(rss[name][key]));
  const refreshes = RSS_REFRESHES.toLocaleString('en');
  const rows = [
    ['GET /public req/s', ...rate('publicRps'), ''],
    ['GET /public p99 ms', ...ms('publicP99Ms'), ''],
    [
      'GET /protected req/s (floor: GET /)',
      ...rate('protectedRps'),
      Math.round(figure('floor.rps')),
    ],
    [
      'GET /protected p99 ms (floor: GET /)',
      ...ms('protectedP99Ms'),
      round2(figure('floor.p99Ms')),
    ],
    [`refresh rotations/s (${CLIENTS} clients)`, ...rate('refreshPerSecond'), ''],
    [
      'storm logins/s (bcrypt: compares/s)',
      ...rate('loginsPerSecond'),
      Math.round(figure('bcrypt.comparesPerSecond')),
    ],
    ['storm probe p50 ms', ...ms('probeP50Ms'), ''],
    ['storm probe p99 ms', ...ms('probeP99Ms'), ''],
    ['RSS before refreshes, MB', ...mb('beforeMb'), ''],
    [`RSS after ${refreshes} refreshes, MB`, ...mb('afterMb'), ''],
    ['RSS growth, MB', ...mb('growthMb'), ''],
  ];
  logTable(['figure', ...each((adapter) => adapter.label), 'floor/bcrypt'], rows, [40, 10, 10, 12]);
}

function logChecks(adapters, list) {
  const labels = [...new Set(list.map((entry) => entry.label))];
  const rows = labels.map((label) => [
    label,
    ...adapters.map(({ name }) =>
      verdict(list.find((entry) => entry.label === label && entry.adapter === name)),
    ),
  ]);
  logTable(['ratio (target)', ...adapters.map((adapter) => adapter.label)], rows, [40, 20, 20]);
  log('');
  for (const entry of list.filter((each) => each.rounds.length > 1))
    log(`  ${entry.name} per round: ${entry.rounds.map((value) => value.toFixed(2)).join(', ')}`);
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

/** Every figure, per-round values and ratios, for the BENCH line. */
function resultJson(adapters, rss, list, failureCount) {
  const result = {
    config: {
      rounds: ROUNDS,
      seconds: MEASURE_MS / 1000,
      warmupSeconds: WARMUP_MS / 1000,
      connections: CONNECTIONS,
      clients: CLIENTS,
      refreshes: RSS_REFRESHES,
      logLevel: LOG_LEVEL,
      autocannonWorkers: AUTOCANNON_WORKERS,
    },
  };
  for (const { name } of adapters) {
    const { quartersMb, ...memory } = rss[name];
    result[name] = {
      ...groupJson(name),
      rss: {
        ...Object.fromEntries(Object.entries(memory).map(([key, value]) => [key, round2(value)])),
        quartersMb: quartersMb.map(round2),
      },
    };
  }
  result.floor = groupJson('floor');
  result.bcrypt = groupJson('bcrypt');
  result.ratios = Object.fromEntries(
    list.map(({ name, value, rounds, min, max, ok }) => [
      name,
      {
        // Three decimals, as in the table: a ratio just under its minimum must not round up to it.
        value: Math.round(value * 1000) / 1000,
        rounds: rounds.map(round2),
        ...(hasTarget({ min, max }) ? { min, max, ok } : {}),
      },
    ]),
  );
  result.targetsMissed = list
    .filter((entry) => hasTarget(entry) && !entry.ok)
    .map((entry) => entry.name);
  result.failures = failureCount;
  result.durationSeconds = Math.round((performance.now() - startedAt) / 1000);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Run

async function main() {
  assertBuilt();
  log(
    `HTTP benchmark: ${ROUNDS} rounds; autocannon ${CONNECTIONS} connections, ${WARMUP_MS / 1000} s warm-up +` +
      ` ${MEASURE_MS / 1000} s${AUTOCANNON_WORKERS ? ` in ${AUTOCANNON_WORKERS} workers` : ''};` +
      ` ${CLIENTS} clients for refresh and logins; servers at LOG_LEVEL=${LOG_LEVEL}`,
  );
  // The machine is shared: the load average before and after says how much else ran meanwhile.
  const loadAtStart = loadavg()[0];
  log(`load average (1 min): ${loadAtStart.toFixed(2)} on ${availableParallelism()} CPUs`);
  log('starting Express, Fastify (SQLite each) and the floor; registering and signing in');
  const [express, fastify, floor] = await Promise.all([
    startAdapter('express', 'Express'),
    startAdapter('fastify', 'Fastify'),
    startFloor(),
  ]);
  const adapters = [express, fastify];

  if (ONLY_FORGOT) {
    const timings = {};
    for (const adapter of adapters) timings[adapter.name] = await forgotTiming(adapter);
    logForgot(adapters, timings);
    const failureCount = failures.reduce((sum, failure) => sum + failure.count, 0);
    for (const failure of failures.slice(0, 10))
      log(`  ${failure.where}: ${failure.status} ${failure.body}`);
    log(`BENCH ${JSON.stringify({ forgot: timings, failures: failureCount })}`);
    return failureCount === 0;
  }

  for (let round = 0; round < ROUNDS; round++) await runRound(round, adapters, floor);

  // Both adapters at once: RSS is no rate, so they need not take turns, and in turns the 2 x 100,000 refreshes would
  // take as long as all the rounds together.
  log(
    `RSS: ${RSS_REFRESHES.toLocaleString('en')} refreshes per adapter, ${CLIENTS} clients each, both at once`,
  );
  const growths = await Promise.all(adapters.map(rssGrowth));
  const rss = Object.fromEntries(adapters.map((adapter, k) => [adapter.name, growths[k]]));

  const forgot = {};
  for (const adapter of rotated(adapters, 0)) forgot[adapter.name] = await forgotTiming(adapter);

  const list = checks(adapters, rss);
  const failureCount = failures.reduce((sum, failure) => sum + failure.count, 0);
  const result = resultJson(adapters, rss, list, failureCount);
  result.config.loadAverage = { start: round2(loadAtStart), end: round2(loadavg()[0]) };
  result.forgot = forgot;

  log('');
  logFigures(adapters, rss);
  log('');
  logChecks(adapters, list);
  log('');
  logForgot(adapters, forgot);
  log('');
  log(`failed requests (non-2xx or errors): ${failureCount}`);
  for (const failure of failures.slice(0, 10))
    log(`  ${failure.where}: ${failure.status} ${failure.body}`);
  if (result.targetsMissed.length > 0)
    log(
      `targets missed: ${result.targetsMissed.join(', ')}${STRICT ? '' : ' (BENCH_STRICT=1 to fail on them)'}`,
    );
  log(`load average (1 min) at the end: ${result.config.loadAverage.end}`);
  log(`run took ${result.durationSeconds} s`);
  log(`BENCH ${JSON.stringify(result)}`);
  return failureCount === 0 && (!STRICT || result.targetsMissed.length === 0);
}

await runBenchmark(main);
