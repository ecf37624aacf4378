// Realtime benchmark of the reference server (issue 14): `npm run build`, then `node bench/realtime.bench.mjs`.
// Plain Node ESM on the built `dist/`; kept apart from http.bench.mjs so that it can be run on its own.
//
//   - GraphQL `me` next to GET /auth/me, on Express (Apollo) and on Fastify (Mercurius), in one run: autocannon,
//     50 connections, 1 s warm-up then BENCH_SECONDS measured; requests/s and p99. `me` and /auth/me do the same
//     work (the guard, then one user read): the ratio is what the GraphQL layer costs.
//   - socket.io on one instance (BENCH_ADAPTER, default fastify): BENCH_SOCKETS (1000) authenticated connections,
//     each of its own session, held open; the server's RSS before and after, per connection; then, with all of them
//     open, BENCH_REVOCATIONS (100) logouts one after the other, each of one socket's session: the time from sending
//     the logout to that socket's disconnect (p50, p99), and the logout's own answer time beside it.
// The machine is shared and noisy: compare figures within one run. Any failure fails the run (exit code 1).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { login, register } from './support/auth-client.mjs';
import { get, post } from './support/http.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { log, logTable } from './support/report.mjs';
import { assertBuilt, serverEnv, startServer } from './support/servers.mjs';
import { quantile, round2 } from './support/stats.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { io } = require('socket.io-client');

const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 100);
const SOCKET_ADAPTER = process.env.BENCH_ADAPTER ?? 'fastify';
const CONNECTIONS = 50;
const ME_QUERY = JSON.stringify({ query: '{ me { id email roles } }' });

/** The server's resident set, in MB, from /proc (Linux). */
function rssMb(server) {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function cannon(where, options) {
  const result = await autocannon({
    connections: CONNECTIONS,
    duration: MEASURE_MS / 1000,
    warmup: { connections: CONNECTIONS, duration: 1 },
    ...options,
  });
  const failures = (result.non2xx ?? 0) + (result.errors ?? 0);
  if (failures > 0) throw new Error(`${where}: ${failures} failed requests`);
  return { rps: result.requests.average, p99Ms: result.latency.p99 };
}

/** `me` over GraphQL and GET /auth/me on `server`, with one user's token. */
async function throughput(server) {
  await register(server, 0);
  const { accessToken } = await login(server, { email: 'bench-0@example.com', k: 0 });
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const check = await post(server.url, '/graphql', JSON.parse(ME_QUERY), { headers });
  if (check.status !== 200 || check.json?.data?.me?.email === undefined) {
    throw new Error(`${server.name} /graphql: ${check.status} ${check.text.slice(0, 200)}`);
  }
  const rest = await cannon(`${server.name} GET /auth/me`, {
    url: `${server.url}/auth/me`,
    headers,
  });
  const graphql = await cannon(`${server.name} POST /graphql me`, {
    url: `${server.url}/graphql`,
    method: 'POST',
    body: ME_QUERY,
    headers,
  });
  return { rest, graphql };
}

function connect(url, token) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/ws`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function sockets(server) {
  const sessions = [];
  for (let k = 1; k <= SOCKETS; k += 1) {
    const user = await register(server, k);
    sessions.push(await login(server, user));
  }
  global.gc?.();
  const before = rssMb(server);
  const open = [];
  // In batches: 1,000 handshakes at once would measure the accept queue, not what a held socket costs.
  for (let start = 0; start < sessions.length; start += 100) {
    const batch = sessions.slice(start, start + 100);
    open.push(
      ...(await Promise.all(batch.map(({ accessToken }) => connect(server.url, accessToken)))),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = rssMb(server);
  const toDisconnect = [];
  const toAnswer = [];
  for (let k = 0; k < Math.min(REVOCATIONS, open.length); k += 1) {
    const socket = open[k];
    const gone = new Promise((resolve) =>
      socket.once('disconnect', () => resolve(performance.now())),
    );
    const sent = performance.now();
    const answer = await post(server.url, '/auth/logout', undefined, {
      headers: { authorization: `Bearer ${sessions[k].accessToken}` },
    });
    const answered = performance.now();
    if (answer.status !== 204) throw new Error(`logout: ${answer.status} ${answer.text}`);
    toDisconnect.push((await gone) - sent);
    toAnswer.push(answered - sent);
  }
  const stillOpen = open.filter((socket) => socket.connected).length;
  for (const socket of open) socket.disconnect();
  return { before, after, toDisconnect, toAnswer, stillOpen };
}

async function main() {
  assertBuilt();
  const dir = makeTempDir();
  const servers = {};
  for (const adapter of ['express', 'fastify']) {
    const env = serverEnv({ databaseUrl: `sqlite:${join(dir, `${adapter}.sqlite`)}`, adapter });
    servers[adapter] = await startServer(adapter, { env, cwd: dir });
  }
  log(
    `## GraphQL me next to GET /auth/me (${MEASURE_MS / 1000} s each, ${CONNECTIONS} connections)`,
  );
  const rows = [];
  for (const adapter of ['express', 'fastify']) {
    const { rest, graphql } = await throughput(servers[adapter]);
    rows.push([`${adapter} GET /auth/me`, round2(rest.rps), rest.p99Ms, '']);
    rows.push([
      `${adapter} POST /graphql me`,
      round2(graphql.rps),
      graphql.p99Ms,
      round2(graphql.rps / rest.rps),
    ]);
  }
  logTable(['target', 'req/s', 'p99 ms', '÷ /auth/me'], rows, [28, 10, 7, 10]);

  log('');
  log(`## socket.io on ${SOCKET_ADAPTER}: ${SOCKETS} authenticated connections on one instance`);
  const socketServer = await startServer(`${SOCKET_ADAPTER} (sockets)`, {
    env: {
      ...serverEnv({
        databaseUrl: `sqlite:${join(dir, 'sockets.sqlite')}`,
        adapter: SOCKET_ADAPTER,
      }),
      // Registering and logging in 1,000 users is set-up, not what is measured: cheap bcrypt, which production
      // settings refuse, hence NODE_ENV=test for this server only.
      NODE_ENV: 'test',
      BCRYPT_ROUNDS: '4',
    },
    cwd: dir,
  });
  const held = await sockets(socketServer);
  const perConnectionKb = ((held.after - held.before) * 1024) / SOCKETS;
  logTable(
    ['measure', 'value'],
    [
      ['RSS before (MB)', round2(held.before)],
      [`RSS with ${SOCKETS} open (MB)`, round2(held.after)],
      ['RSS per connection (kB)', round2(perConnectionKb)],
      [
        `revocation → disconnect p50 (ms), n=${held.toDisconnect.length}`,
        round2(quantile(held.toDisconnect, 0.5)),
      ],
      ['revocation → disconnect p99 (ms)', round2(quantile(held.toDisconnect, 0.99))],
      ['logout answer p50 (ms)', round2(quantile(held.toAnswer, 0.5))],
      ['logout answer p99 (ms)', round2(quantile(held.toAnswer, 0.99))],
      ['sockets left open (expected)', `${held.stillOpen} (${SOCKETS - held.toDisconnect.length})`],
    ],
    [44, 12],
  );
  return held.stillOpen === SOCKETS - held.toDisconnect.length;
}

await runBenchmark(main);
