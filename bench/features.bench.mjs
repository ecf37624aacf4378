// What the newer features cost (`npm run bench`, section "features"): plain Node ESM on the built `dist/`.
//
//   - Login with a second factor against a plain login, on each adapter (reference server, SQLite): SAMPLES pairs,
//     one at a time and interleaved (plain, TOTP, TOTP, plain, ...): a plain login is one POST /auth/login; a login
//     with TOTP is POST /auth/login (answered with a challenge) then POST /auth/mfa/verify with the current code. Both
//     pay one bcrypt comparison, which dominates; the verify adds a request, an HMAC and a write (the step used).
//     The figure is the ratio of the medians, target ≤ 1.5. A code is accepted once per step and user (one step of
//     drift either way), so each user serves three codes: its enabling one and two logins.
//   - The step-up check on a guarded route is measured by host.bench.mjs (paired rounds, `@RequireAuth` route ÷
//     plain guarded route, ≥ 0.95).
//   - Cross-instance revocation of a factor removal: two reference servers (Express A, Fastify B) on one PostgreSQL
//     database and one Redis. A user with TOTP holds two sessions; DELETE /auth/mfa/totp with one of them on one
//     instance revokes the other session; the figure is the time from that answer until the other instance first
//     refuses the other session's access token (polled back to back). Direction alternates. Target: max ≤ 1000 ms
//     (the contract: within a second on every instance).
//   - Passkey login: options + assertion (signed by the e2e suites' software authenticator) against a password login,
//     interleaved on one server per adapter.
//
// Environment: BENCH_FEATURE_SAMPLES (20 pairs per adapter), BENCH_REMOVAL_SAMPLES (10), BENCH_REDIS_URL.

import { createHmac, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { password, register } from './support/auth-client.mjs';
import { get, post, request } from './support/http.mjs';
import { makeTempDir, runBenchmark } from './support/lifecycle.mjs';
import { createPgDatabase, dropPgDatabases } from './support/postgres.mjs';
import { deleteRedisKeys } from './support/redis.mjs';
import { log, logTargets, target } from './support/report.mjs';
import { assertBuilt, serverEnv, startServer } from './support/servers.mjs';
import { median, quantile } from './support/stats.mjs';

const SAMPLES = Number(process.env.BENCH_FEATURE_SAMPLES ?? 20);
const REMOVALS = Number(process.env.BENCH_REMOVAL_SAMPLES ?? 10);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GIVE_UP_MS = 5_000;

const tempDir = makeTempDir();
const redisKeyPrefix = `nest-auth-bench:${randomUUID()}:`;
let users = 0;

// ---------------------------------------------------------------------------------------------------------------
// TOTP as an authenticator app computes it (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps)

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const stepNow = () => Math.floor(Date.now() / 30_000);

// ---------------------------------------------------------------------------------------------------------------
// Users with a factor

const bearer = (token) => ({ headers: { authorization: `Bearer ${token}` } });

function expect(response, status, what) {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${response.text.slice(0, 200)}`);
  return response;
}

/** A registered user with TOTP enabled (with the code of the step before now): `{ user, secret, lastStep, session }`. */
async function enrolledUser(server) {
  const user = await register(server, 1000 + users++);
  const signedIn = expect(
    await post(server.url, '/auth/login', { email: user.email, password: password(user.k) }),
    200,
    'login',
  ).json;
  const { secret } = expect(
    await post(server.url, '/auth/mfa/totp/setup', undefined, bearer(signedIn.accessToken)),
    200,
    'totp setup',
  ).json;
  const lastStep = stepNow() - 1;
  expect(
    await post(
      server.url,
      '/auth/mfa/totp/enable',
      { code: totp(secret, lastStep) },
      bearer(signedIn.accessToken),
    ),
    200,
    'totp enable',
  );
  return { user, secret, lastStep, session: signedIn };
}

/** Password then the next unused code: the session's token pair; undefined when the user has no code left now. */
async function loginWithTotp(server, enrolled) {
  const step = Math.max(enrolled.lastStep + 1, stepNow() - 1);
  if (step > stepNow() + 1) return undefined;
  const { user } = enrolled;
  const challenge = expect(
    await post(server.url, '/auth/login', { email: user.email, password: password(user.k) }),
    200,
    'login (challenge)',
  ).json;
  if (!challenge.mfaToken) throw new Error('login of a user with TOTP answered no challenge');
  enrolled.lastStep = step;
  return expect(
    await post(server.url, '/auth/mfa/verify', {
      mfaToken: challenge.mfaToken,
      code: totp(enrolled.secret, step),
    }),
    200,
    'mfa verify',
  ).json;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

/**
 * Median latencies (ms) of a password login of `plainUser` and of `other` (an async login of another kind), each run
 * SAMPLES times, interleaved (alternating which goes first) after one uncounted warm-up of each.
 */
async function againstPlainLogin(server, plainUser, other) {
  const timed = async (work, into) => {
    const t0 = performance.now();
    await work();
    into.push(performance.now() - t0);
  };
  const plainLogin = async () =>
    expect(
      await post(server.url, '/auth/login', { email: plainUser.email, password: password(plainUser.k) }),
      200,
      'plain login',
    );
  await plainLogin();
  await other();
  const plain = [];
  const others = [];
  for (let k = 0; k < SAMPLES; k++) {
    if (k % 2 === 0) await timed(plainLogin, plain);
    await timed(other, others);
    if (k % 2 === 1) await timed(plainLogin, plain);
  }
  return { plainMs: median(plain), otherMs: median(others) };
}

async function totpCost(adapter) {
  const server = await startServer(`features-${adapter}`, {
    env: serverEnv({
      databaseUrl: `sqlite:${join(tempDir, `features-${adapter}.sqlite`)}`,
      adapter,
    }),
    cwd: tempDir,
  });
  const plainUser = await register(server, 0);
  const enrolled = [];
  // One user a TOTP login (warm-up included): a code is accepted once per step.
  for (let k = 0; k <= SAMPLES; k++) enrolled.push(await enrolledUser(server));
  let next = 0;
  const totpLogin = async () => {
    for (let tries = 0; tries < enrolled.length; tries++) {
      if ((await loginWithTotp(server, enrolled[next++ % enrolled.length])) !== undefined) return;
    }
    throw new Error('every enrolled user used its codes of this step');
  };
  const { plainMs, otherMs } = await againstPlainLogin(server, plainUser, totpLogin);
  return { plainMs, totpMs: otherMs };
}

/** The origin the passkey servers trust: a browser's page origin, as the software authenticator claims it. */
const PASSKEY_ORIGIN = 'http://localhost:3000';

/**
 * A passwordless login (options, then the assertion: two requests, an ES256 signature check) against a password
 * login (one bcrypt comparison), interleaved on one server; the software authenticator of the e2e suites signs, loaded
 * with Node's type stripping.
 */
async function passkeyCost(adapter) {
  const { SoftwareAuthenticator } = await import('../test/support/software-authenticator.ts');
  const server = await startServer(`passkeys-${adapter}`, {
    env: {
      ...serverEnv({
        databaseUrl: `sqlite:${join(tempDir, `passkeys-${adapter}.sqlite`)}`,
        adapter,
      }),
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: PASSKEY_ORIGIN,
    },
    cwd: tempDir,
  });
  const plainUser = await register(server, 0);
  const holder = await register(server, 1);
  const signedIn = expect(
    await post(server.url, '/auth/login', { email: holder.email, password: password(holder.k) }),
    200,
    'login',
  ).json;
  const authenticator = new SoftwareAuthenticator(PASSKEY_ORIGIN);
  const creation = expect(
    await post(server.url, '/auth/passkeys/register/options', {}, bearer(signedIn.accessToken)),
    200,
    'passkey register options',
  ).json;
  expect(
    await post(
      server.url,
      '/auth/passkeys/register',
      { response: authenticator.create(creation) },
      bearer(signedIn.accessToken),
    ),
    201,
    'passkey register',
  );
  const passkeyLogin = async () => {
    const options = expect(
      await post(server.url, '/auth/passkeys/login/options', {}),
      200,
      'passkey login options',
    ).json;
    expect(
      await post(server.url, '/auth/passkeys/login', { response: authenticator.get(options) }),
      200,
      'passkey login',
    );
  };
  const { plainMs, otherMs } = await againstPlainLogin(server, plainUser, passkeyLogin);
  return { plainMs, passkeyMs: otherMs };
}

/** Ms from the removal's answer on `from` until `to` refuses the other session's token. */
async function removalPropagation(from, to) {
  const enrolled = await enrolledUser(from);
  const other = await loginWithTotp(from, enrolled);
  expect(await get(to.url, '/protected', bearer(other.accessToken)), 200, 'other session before');
  expect(
    await request('DELETE', from.url, '/auth/mfa/totp', bearer(enrolled.session.accessToken)),
    204,
    'totp removal',
  );
  const removedAt = performance.now();
  for (;;) {
    const response = await get(to.url, '/protected', bearer(other.accessToken));
    if (response.status === 401) return performance.now() - removedAt;
    if (performance.now() - removedAt > GIVE_UP_MS) return Infinity;
  }
}

async function removalSection() {
  const databaseUrl = await createPgDatabase(`nest_auth_bench_features_${process.pid}`);
  const env = (adapter) => ({
    ...serverEnv({ databaseUrl, adapter }),
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
  });
  // One after the other: the first applies the migrations.
  const a = await startServer('removal-a', { env: env('express'), cwd: tempDir });
  const b = await startServer('removal-b', { env: env('fastify'), cwd: tempDir });
  const times = [];
  for (let k = 0; k < REMOVALS; k++)
    times.push(await removalPropagation(k % 2 ? b : a, k % 2 ? a : b));
  return times;
}

async function main() {
  assertBuilt();
  log(`features benchmark; load average (1 min) ${loadavg()[0].toFixed(2)}`);
  const entries = [];
  for (const adapter of ['express', 'fastify']) {
    const { plainMs, totpMs } = await totpCost(adapter);
    log(
      `  ${adapter}: plain login ${plainMs.toFixed(1)} ms, login + TOTP verify ${totpMs.toFixed(1)} ms (medians)`,
    );
    entries.push(
      target('login + TOTP verify ÷ plain login, latency', adapter, totpMs / plainMs, { max: 1.5 }),
    );
  }
  const removals = await removalSection();
  log(
    `  factor removal → other instance refuses the revoked session: p50 ${quantile(removals, 0.5).toFixed(1)} ms,` +
      ` max ${Math.max(...removals).toFixed(1)} ms (${removals.length} samples)`,
  );
  entries.push(
    target('factor removal: cross-instance revocation, max', 'both', Math.max(...removals), {
      max: 1000,
      unit: ' ms',
      rounds: removals,
    }),
  );
  for (const adapter of ['express', 'fastify']) {
    const { plainMs, passkeyMs } = await passkeyCost(adapter);
    log(
      `  ${adapter}: password login ${plainMs.toFixed(1)} ms, passkey login (options + assertion) ${passkeyMs.toFixed(1)} ms (medians)`,
    );
    entries.push(
      target('passkey login ÷ password login, latency', adapter, passkeyMs / plainMs, { max: 1.5 }),
    );
  }
  logTargets('feature costs', entries);
  log(`load average (1 min) at the end: ${loadavg()[0].toFixed(2)}`);
  return true;
}

async function cleanUp() {
  await dropPgDatabases();
  await deleteRedisKeys(REDIS_URL, redisKeyPrefix);
}

await runBenchmark(main, { cleanUp });
