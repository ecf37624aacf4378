// Revocation propagation between two instances (`npm run bench`, after the HTTP benchmark): plain Node ESM, on
// the built `dist/`.
//
// Two `node dist/main.js` (Fastify, production settings) share one PostgreSQL database and one Redis, as several
// instances run. A sample: log a session out on instance A, then ask instance B with that session's access token,
// request after request, until it answers 401; the figure is the time from A's answer to B's first 401. It is
// measured with the instances idle, then with both under load (autocannon on GET /protected of each, in this
// process), so that what the contract promises ("within one second on every instance") is seen with its margin.
// The probe's own latency on the loaded B is printed beside it: a sample can be no faster than one request.
// Everything it creates (the database, the Redis keys under its prefix) is removed at the end.

import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { password, register } from './support/auth-client.mjs';
import { get, post } from './support/http.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { createPgDatabase, dropPgDatabases } from './support/postgres.mjs';
import { deleteRedisKeys } from './support/redis.mjs';
import { log, logTable } from './support/report.mjs';
import { assertBuilt, serverEnv, startServer, stopServer } from './support/servers.mjs';
import { quantile, round2 } from './support/stats.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SAMPLES = Number(process.env.BENCH_PROPAGATION_SAMPLES ?? 100); // per condition
const LOAD_CONNECTIONS = 16; // per instance
const GIVE_UP_MS = 5_000;

const tempDir = makeTempDir();
const redisKeyPrefix = `nest-auth-bench:${randomUUID()}:`;

/** Milliseconds from A's answer to the logout until B first refuses the session's access token. */
async function propagation(a, b, session) {
  const logout = await post(a.url, '/auth/logout', undefined, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
  if (logout.status !== 204) throw new Error(`logout on A: ${logout.status} ${logout.text}`);
  const loggedOutAt = performance.now();
  for (;;) {
    const probe = await get(b.url, '/protected', {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    if (probe.status === 401) return performance.now() - loggedOutAt;
    if (probe.status !== 200) throw new Error(`probe on B: ${probe.status} ${probe.text}`);
    if (performance.now() - loggedOutAt > GIVE_UP_MS) {
      throw new Error(`B still accepts a token ${GIVE_UP_MS} ms after its logout on A`);
    }
  }
}

async function sessionsOf(server, user, count) {
  const sessions = [];
  for (let n = 0; n < count; n++) {
    const response = await post(server.url, '/auth/login', {
      email: user.email,
      password: password(user.k),
    });
    if (response.status !== 200) throw new Error(`login: ${response.status} ${response.text}`);
    sessions.push({ accessToken: response.json.accessToken });
  }
  return sessions;
}

/** Latency (ms) of one GET /protected on `server`, `count` times in a row: the probe's own cost. */
async function probeLatencies(server, token, count) {
  const times = [];
  for (let n = 0; n < count; n++) {
    const start = performance.now();
    await get(server.url, '/protected', { headers: { authorization: `Bearer ${token}` } });
    times.push(performance.now() - start);
  }
  return times;
}

/** autocannon on GET /protected of `server` until `stop()`; resolves with its result. */
function loadOn(server, token) {
  const instance = autocannon({
    url: `${server.url}/protected`,
    connections: LOAD_CONNECTIONS,
    duration: 3600,
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    done: new Promise((resolve) => instance.on('done', resolve)),
    stop: () => instance.stop(),
  };
}

const summary = (times) => ({
  p50: round2(quantile(times, 0.5)),
  p99: round2(quantile(times, 0.99)),
  max: round2(Math.max(...times)),
});

async function main() {
  assertBuilt();
  const databaseUrl = await createPgDatabase(`nest_auth_bench_propagation_${process.pid}`);
  const env = {
    ...serverEnv({ databaseUrl }),
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
  };
  // One after the other: the first applies the migrations.
  const a = await startServer('propagation-a', { env, cwd: tempDir });
  const b = await startServer('propagation-b', { env, cwd: tempDir });
  log(
    `revocation propagation: two Fastify instances on PostgreSQL + Redis, ${SAMPLES} logouts per condition`,
  );
  const user = await register(a, 0);
  const loadSession = (await sessionsOf(a, user, 1))[0];
  const idleSessions = await sessionsOf(a, user, SAMPLES);
  const loadedSessions = await sessionsOf(a, user, SAMPLES);

  const idle = [];
  for (const session of idleSessions) idle.push(await propagation(a, b, session));
  const idleProbe = await probeLatencies(b, loadSession.accessToken, 200);

  const loads = [a, b].map((server) => loadOn(server, loadSession.accessToken));
  const loaded = [];
  let loadedProbe;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the load settles
    for (const session of loadedSessions) loaded.push(await propagation(a, b, session));
    loadedProbe = await probeLatencies(b, loadSession.accessToken, 200);
  } finally {
    for (const load of loads) load.stop();
  }
  const requestsPerSecond = (await Promise.all(loads.map((load) => load.done))).map((result) =>
    Math.round(result.requests.average),
  );
  await Promise.all([stopServer(a), stopServer(b)]);

  const result = {
    idle: { propagationMs: summary(idle), probeMs: summary(idleProbe) },
    loaded: {
      propagationMs: summary(loaded),
      probeMs: summary(loadedProbe),
      requestsPerSecond: { a: requestsPerSecond[0], b: requestsPerSecond[1] },
    },
  };
  log('');
  logTable(
    ['ms', 'p50', 'p99', 'max'],
    [
      ['idle: logout on A to 401 on B', ...Object.values(result.idle.propagationMs)],
      ['idle: one GET /protected on B', ...Object.values(result.idle.probeMs)],
      ['loaded: logout on A to 401 on B', ...Object.values(result.loaded.propagationMs)],
      ['loaded: one GET /protected on B', ...Object.values(result.loaded.probeMs)],
    ],
    [34, 8, 8, 8],
  );
  log(
    `load: ${LOAD_CONNECTIONS} connections on each instance, ${requestsPerSecond[0]} and ${requestsPerSecond[1]} req/s (A, B)`,
  );
  log(`PROPAGATION ${JSON.stringify(result)}`);
  return result.loaded.propagationMs.max < 1000;
}

async function cleanUp() {
  await dropPgDatabases();
  await deleteRedisKeys(REDIS_URL, redisKeyPrefix);
}

await runBenchmark(main, { cleanUp });
