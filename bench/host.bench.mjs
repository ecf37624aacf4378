// What a Nest developer gains or pays by taking this module instead of the guard the NestJS docs teach
// (`npm run bench`, section "host"): plain Node ESM on the built `dist/`, hosts from bench/mini-host.cjs.
//
// Sections (BENCH_ONLY=guard | boot: one alone; both by default):
//   - guard: paired rounds. Each round runs every target once (autocannon, CONNECTIONS connections, WARMUP_MS
//     discarded then ROUND_MS measured), in an order rotated round by round, and each ratio is taken within the
//     round; the figure is the median of the per-round ratios. On a shared machine a neighbour's burst hits one
//     round, not one side of a ratio. Targets, on Express and Fastify alike:
//       * the module's guard in a minimal Nest app ÷ the docs' recipe (a global guard calling
//         `jwtService.verifyAsync`) in the same minimal app: GET /protected req/s, ≥ 1.3;
//       * the reference server's GET /protected ÷ its GET /public (the whole cost of the guard in the full stack:
//         request logs, security headers, pipes, both global guards), ≥ 0.85;
//       * a `@RequireAuth` (step-up) route ÷ a plain guarded route of the minimal module app, ≥ 0.95 (it should be
//         free: the route's requirement is read once, the check compares two claims).
//     The reference server's /protected ÷ the recipe is printed for information (the issue's first figure).
//   - boot: each server started alone, one after the other, BOOT_ROUNDS times (order rotated), on a fresh SQLite
//     file: time from spawn to the first 200 of GET /public, and its RSS (VmRSS) right then. Targets: the reference
//     server (every feature) within 2x the recipe's time and 1.5x its RSS; the minimal module app (core only, no
//     feature) at most 30 MB above a bare Nest app with the same two routes. Then, for information, the same after a
//     full collection (support/live-heap.mjs): the RSS and the live heap once the boot's garbage is gone, which
//     tells what a server holds from what it has not collected yet. Also which libraries and which of the module's
//     own feature code the core-only app has in memory (`require.cache`): none of GraphQL, socket.io, swagger,
//     mail, TOTP, WebAuthn, Redis, throttling, nor any feature's controllers, services or guards.
//
// Environment: BENCH_ONLY, BENCH_HOST_ROUNDS (6), BENCH_HOST_SECONDS (2), BENCH_BOOT_ROUNDS (3),
// BENCH_LOG_LEVEL (info, the production default) of the reference server.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { login, register } from './support/auth-client.mjs';
import { createAgent, get } from './support/http.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { liveHeapMb } from './support/live-heap.mjs';
import { log, logTargets, target } from './support/report.mjs';
import {
  assertBuilt,
  isRunning,
  JWT_REFRESH_SECRET,
  JWT_SECRET,
  ROOT,
  serverEnv,
  startServer,
  stopServer,
} from './support/servers.mjs';
import { median, round2 } from './support/stats.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const HOST = join(ROOT, 'bench/mini-host.cjs');
const ADAPTERS = ['express', 'fastify'];
const ONLY = process.env.BENCH_ONLY;
const ROUNDS = envInteger('BENCH_HOST_ROUNDS', 6);
const ROUND_MS = envInteger('BENCH_HOST_SECONDS', 2) * 1000;
const BOOT_ROUNDS = envInteger('BENCH_BOOT_ROUNDS', 3);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const WARMUP_MS = 500;
const CONNECTIONS = 50;
// Libraries of features a core-only host did not register: none may be in its memory.
const FOREIGN_MODULES =
  /node_modules\/(graphql|@nestjs\/graphql|@apollo|mercurius|socket\.io|@nestjs\/platform-socket\.io|@nestjs\/websockets|@nestjs\/swagger|swagger-ui-dist|nodemailer|otplib|@otplib|@simplewebauthn|ioredis|@nestjs\/throttler)\//;
// Nor the module's own code of those features: their controllers, services and guards (a feature's factory, options
// and error codes are loaded with the main entry, which exports the factory).
const FOREIGN_FEATURE_CODE =
  /dist\/auth\/features\/([\w-]+)\/[\w.-]+\.(controller|service|guard)\.js$/;

const tempDir = makeTempDir();
const failures = [];
let files = 0;

function envInteger(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
}

/**
 * Kinds of bench/mini-host.cjs: `core` is the module with no feature in a host that has not installed
 * @nestjs/swagger (an optional peer: a host without OpenAPI has no use for it), `core-openapi` the same host with it
 * installed: the module's OpenAPI shim then loads it with the module's routes.
 */
const KINDS = {
  core: { HOST_KIND: 'core', HIDE_PACKAGES: '@nestjs/swagger' },
  'core-openapi': { HOST_KIND: 'core' },
};

/** A minimal host of `kind` (bench/mini-host.cjs) on `adapter`, on a fresh SQLite file when it has the module. */
function startHost(kind, adapter, extraEnv = {}) {
  return startServer(`${kind}-${adapter}`, {
    script: HOST,
    nodeArgs: ['--inspect-port=0'],
    env: {
      PATH: process.env.PATH ?? '',
      HOST_KIND: kind,
      ...KINDS[kind],
      HTTP_ADAPTER: adapter,
      JWT_SECRET,
      JWT_REFRESH_SECRET,
      DATABASE_FILE: join(tempDir, `${kind}-${adapter}-${files++}.sqlite`),
      ...extraEnv,
    },
    cwd: tempDir,
  });
}

/** The reference server (`node dist/main.js`, production settings, every feature) on a fresh SQLite file. */
function startReference(adapter) {
  const databaseUrl = `sqlite:${join(tempDir, `reference-${adapter}-${files++}.sqlite`)}`;
  return startServer(`reference-${adapter}`, {
    nodeArgs: ['--inspect-port=0'],
    env: serverEnv({ databaseUrl, adapter, logLevel: LOG_LEVEL }),
    cwd: tempDir,
  });
}

/** CPU time (user + system) the process `pid` has used so far, µs (from /proc: clock ticks of 10 ms). */
function cpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
}

/**
 * autocannon on one URL of `server`: WARMUP_MS (discarded), then ROUND_MS measured. Mean requests/s, and the
 * server's CPU time per answered request (µs) over the measured run: the rate depends on how much of the cores the
 * server got from its neighbours, the CPU time per request much less.
 */
async function cannon(where, server, path, token) {
  const options = {
    url: new URL(path, server.url).href,
    connections: CONNECTIONS,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
  const warmup = await autocannon({ ...options, duration: WARMUP_MS / 1000 });
  const cpuBefore = cpuUs(server.pid);
  const result = await autocannon({ ...options, duration: ROUND_MS / 1000 });
  const cpu = cpuUs(server.pid) - cpuBefore;
  for (const [when, each] of [
    ['warm-up', warmup],
    ['run', result],
  ]) {
    const count = (each.non2xx ?? 0) + (each.errors ?? 0);
    if (count > 0) failures.push(`${where} (${when}): ${count} non-2xx or errors`);
  }
  return {
    rps: result.requests.average,
    cpuUsPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

/** `list` rotated left by `round`. */
const rotated = (list, round) => list.map((_, n) => list[(n + round) % list.length]);

// ---------------------------------------------------------------------------------------------------------------
// guard

async function guardSection() {
  log(
    `guard: ${ROUNDS} paired rounds, every target ${WARMUP_MS / 1000} s warm-up + ${ROUND_MS / 1000} s,` +
      ` autocannon ${CONNECTIONS} connections; reference server at LOG_LEVEL=${LOG_LEVEL}`,
  );
  const setups = await Promise.all(
    ADAPTERS.map(async (adapter) => {
      const [recipe, module, reference] = await Promise.all([
        startHost('recipe', adapter),
        startHost('module', adapter),
        startReference(adapter),
      ]);
      return {
        adapter,
        recipe,
        module,
        reference,
        moduleUser: await register(module, 0),
        referenceUser: await register(reference, 0),
      };
    }),
  );
  const samples = {};
  const record = (name, value) => (samples[name] ??= []).push(value);
  for (let round = 0; round < ROUNDS; round++) {
    const jobs = [];
    for (const setup of setups) {
      // A fresh token per round: the recipe checks the module's token (same secret, HS256), so both guards
      // verify the very same bytes.
      const moduleToken = (await login(setup.module, setup.moduleUser)).accessToken;
      const referenceToken = (await login(setup.reference, setup.referenceUser)).accessToken;
      const { adapter } = setup;
      jobs.push(
        [`${adapter}.recipe`, setup.recipe, '/protected', moduleToken],
        [`${adapter}.module`, setup.module, '/protected', moduleToken],
        [`${adapter}.stepUp`, setup.module, '/protected/step-up', moduleToken],
        [`${adapter}.referencePublic`, setup.reference, '/public', undefined],
        [`${adapter}.referenceProtected`, setup.reference, '/protected', referenceToken],
      );
    }
    const line = [];
    for (const [name, server, path, token] of rotated(jobs, round)) {
      const { rps, cpuUsPerRequest } = await cannon(name, server, path, token);
      record(name, rps);
      record(`${name}.cpu`, cpuUsPerRequest);
      line.push(`${name} ${rps.toFixed(0)} (${cpuUsPerRequest.toFixed(0)} µs)`);
    }
    log(`  round ${round + 1}/${ROUNDS}, req/s (server CPU per request): ${line.join(', ')}`);
  }
  for (const setup of setups)
    await Promise.all([setup.recipe, setup.module, setup.reference].map(stopServer));

  const perRound = (numerator, denominator) =>
    samples[numerator].map((value, round) => value / samples[denominator][round]);
  const entries = [];
  for (const adapter of ADAPTERS) {
    const ratio = (figure, numerator, denominator, bounds) => {
      const rounds = perRound(`${adapter}.${numerator}`, `${adapter}.${denominator}`);
      entries.push(target(figure, adapter, median(rounds), { ...bounds, rounds }));
    };
    ratio('bare host: module guard ÷ docs recipe, req/s', 'module', 'recipe', { min: 1.3 });
    ratio(
      'reference server: /protected ÷ /public, req/s',
      'referenceProtected',
      'referencePublic',
      {
        min: 0.85,
      },
    );
    ratio('step-up route ÷ plain guarded route, req/s', 'stepUp', 'module', { min: 0.95 });
    ratio('reference /protected ÷ bare-host recipe, req/s', 'referenceProtected', 'recipe', {});
    // The same comparisons on CPU time per request (inverted: recipe's CPU ÷ module's is the module's speed-up),
    // for information: on a loaded machine they move much less than the rates.
    const cpuRatio = (figure, slower, faster) => {
      const rounds = perRound(`${adapter}.${slower}.cpu`, `${adapter}.${faster}.cpu`);
      entries.push(target(figure, adapter, median(rounds), { rounds }));
    };
    cpuRatio('CPU/request: recipe ÷ module guard', 'recipe', 'module');
    cpuRatio(
      'CPU/request: reference /public ÷ /protected',
      'referencePublic',
      'referenceProtected',
    );
    cpuRatio('CPU/request: plain route ÷ step-up route', 'module', 'stepUp');
    for (const [name, label] of [
      ['recipe', 'recipe /protected'],
      ['module', 'module /protected'],
      ['referenceProtected', 'reference /protected'],
      ['referencePublic', 'reference /public'],
    ])
      entries.push(
        target(`${label}, req/s (median)`, adapter, median(samples[`${adapter}.${name}`]), {
          note: `${median(samples[`${adapter}.${name}.cpu`]).toFixed(0)} µs CPU/request`,
        }),
      );
  }
  logTargets('guard figures (medians of per-round ratios)', entries);
  return { entries, samples };
}

// ---------------------------------------------------------------------------------------------------------------
// boot

/** The server's resident set (VmRSS), MB. */
function rssMb(server) {
  if (!isRunning(server)) throw new Error(`${server.name} is gone: no RSS to read`);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return Number(match[1]) / 1024;
}

/** Spawn to the first 200 of GET /public, ms, and the RSS then; the server is stopped afterwards. */
async function bootOnce(kind, adapter) {
  const t0 = performance.now();
  const server =
    kind === 'reference' ? await startReference(adapter) : await startHost(kind, adapter);
  const agent = createAgent();
  try {
    for (;;) {
      const response = await get(server.url, '/public', { agent });
      if (response.status === 200) break;
      if (performance.now() - t0 > 30_000) throw new Error(`${kind} ${adapter}: no 200 in 30 s`);
    }
    const ms = performance.now() - t0;
    const rss = rssMb(server);
    // For the analysis, after the timed figures: what the server holds once the boot's garbage is collected.
    const heap = await liveHeapMb(server);
    return { ms, rssMb: rss, liveHeapMb: heap, collectedRssMb: rssMb(server) };
  } finally {
    agent.destroy();
    await stopServer(server);
  }
}

/** The files of the heavy libraries a core-only host has in `require.cache`. */
async function foreignModules(adapter) {
  const listFile = join(tempDir, `modules-${adapter}.json`);
  const server = await startHost('core', adapter, { BENCH_MODULE_LIST: listFile });
  // The list is written right after "Listening on": wait for the file.
  for (let tries = 0; tries < 100; tries++) {
    try {
      const list = JSON.parse(readFileSync(listFile, 'utf8'));
      await stopServer(server);
      const packages = new Set([
        ...list
          .filter((file) => FOREIGN_MODULES.test(file))
          .map((file) => FOREIGN_MODULES.exec(file)[1]),
        ...list
          .filter((file) => FOREIGN_FEATURE_CODE.test(file))
          .map((file) => `${FOREIGN_FEATURE_CODE.exec(file)[1]} feature`),
      ]);
      return { packages: [...packages], loaded: list.length };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await stopServer(server);
  throw new Error(`core-${adapter} wrote no module list`);
}

async function bootSection() {
  log(`boot: ${BOOT_ROUNDS} rounds, each server alone, spawn to first 200 and RSS then`);
  const kinds = ['recipe', 'reference', 'bare', 'core', 'core-openapi'];
  const samples = {};
  const record = (name, value) => (samples[name] ??= []).push(value);
  for (let round = 0; round < BOOT_ROUNDS; round++) {
    const line = [];
    for (const adapter of ADAPTERS) {
      for (const kind of rotated(kinds, round)) {
        const { ms, rssMb: rss, liveHeapMb: heap, collectedRssMb } = await bootOnce(kind, adapter);
        record(`${adapter}.${kind}.ms`, ms);
        record(`${adapter}.${kind}.rss`, rss);
        record(`${adapter}.${kind}.heap`, heap);
        record(`${adapter}.${kind}.collectedRss`, collectedRssMb);
        line.push(`${adapter} ${kind} ${ms.toFixed(0)} ms ${rss.toFixed(0)} MB`);
      }
    }
    log(`  round ${round + 1}/${BOOT_ROUNDS}: ${line.join(', ')}`);
  }
  const entries = [];
  for (const adapter of ADAPTERS) {
    const of = (kind, what) => samples[`${adapter}.${kind}.${what}`];
    const perRound = (a, b, op) => a.map((value, round) => op(value, b[round]));
    const div = (a, b) => a / b;
    const boot = perRound(of('reference', 'ms'), of('recipe', 'ms'), div);
    const rss = perRound(of('reference', 'rss'), of('recipe', 'rss'), div);
    const extra = perRound(of('core', 'rss'), of('bare', 'rss'), (a, b) => a - b);
    const extraOpenApi = perRound(of('core-openapi', 'rss'), of('bare', 'rss'), (a, b) => a - b);
    const minus = (a, b) => a - b;
    const extraCollected = perRound(of('core', 'collectedRss'), of('bare', 'collectedRss'), minus);
    const extraHeap = perRound(of('core', 'heap'), of('bare', 'heap'), minus);
    const rssCollected = perRound(
      of('reference', 'collectedRss'),
      of('recipe', 'collectedRss'),
      div,
    );
    entries.push(
      target('reference boot to first 200 ÷ recipe', adapter, median(boot), {
        max: 2,
        rounds: boot,
      }),
      target('reference RSS at first 200 ÷ recipe', adapter, median(rss), {
        max: 1.5,
        rounds: rss,
      }),
      target('core-only host RSS − bare Nest RSS', adapter, median(extra), {
        max: 30,
        unit: ' MB',
        rounds: extra,
      }),
      target('same, @nestjs/swagger installed (info)', adapter, median(extraOpenApi), {
        unit: ' MB',
        rounds: extraOpenApi,
      }),
      target('same, RSS after a full collection (info)', adapter, median(extraCollected), {
        unit: ' MB',
        rounds: extraCollected,
      }),
      target('same, live heap after a full collection (info)', adapter, median(extraHeap), {
        unit: ' MB',
        rounds: extraHeap,
      }),
      target(
        'reference ÷ recipe, RSS after a full collection (info)',
        adapter,
        median(rssCollected),
        {
          rounds: rssCollected,
        },
      ),
    );
    for (const kind of kinds)
      entries.push(
        target(`${kind}: boot ms | RSS MB (medians)`, adapter, median(of(kind, 'ms')), {
          note: `${median(of(kind, 'rss')).toFixed(1)} MB (collected: ${median(of(kind, 'collectedRss')).toFixed(1)} MB, live heap ${median(of(kind, 'heap')).toFixed(1)} MB)`,
        }),
      );
  }
  for (const adapter of ADAPTERS) {
    const { packages, loaded } = await foreignModules(adapter);
    entries.push(
      target('core-only host: unregistered features in memory', adapter, packages.length, {
        max: 0,
        note: packages.join(' ') || `none of ${loaded} CommonJS files`,
      }),
    );
    if (packages.length > 0) log(`  ${adapter} core-only host loaded: ${packages.join(', ')}`);
  }
  logTargets('boot and footprint (medians of per-round values)', entries);
  for (const entry of entries.filter((each) => each.figure.includes('boot ms |')))
    log(
      `  ${entry.figure.split(':')[0]} (${entry.adapter}): ${round2(entry.value)} ms, ${entry.note}`,
    );
  return { entries };
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  assertBuilt();
  log(`host benchmark; load average (1 min) ${loadavg()[0].toFixed(2)}`);
  const result = {};
  if (ONLY === undefined || ONLY === 'host' || ONLY === 'guard')
    result.guard = await guardSection();
  if (ONLY === undefined || ONLY === 'host' || ONLY === 'boot') result.boot = await bootSection();
  for (const failure of failures.slice(0, 10)) log(`  failed: ${failure}`);
  log(`failed requests: ${failures.length === 0 ? 0 : failures.length}`);
  log(`load average (1 min) at the end: ${loadavg()[0].toFixed(2)}`);
  return failures.length === 0;
}

await runBenchmark(main);
