// Boots the compiled host app on a fresh PostgreSQL database and checks the module works from its tarball.
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import pg from 'pg';

const admin = process.env.PACKAGING_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `nest_auth_packaging_${process.pid}`;
const checks = [];
let passed = 0;

async function withAdmin(sql) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function boot(url) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, DATABASE_URL: url },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host app did not start:\n${output}`)), 20_000);
    const collect = (chunk) => {
      output += chunk;
      const match = /LISTENING (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1].replace('[::1]', '127.0.0.1') });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => reject(new Error(`host app exited with ${code}:\n${output}`)));
  });
}

function check(name, fn) {
  checks.push([name, fn]);
}

async function call(base, path, { method = 'GET', body, token } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

const credentials = { email: 'Host.User@Example.com', password: 'packaged passphrase' };
let tokens;

check('a public host route answers without a token', async ({ base }) => {
  assert.equal((await call(base, '/hello')).status, 200);
});
check('registration under the default /auth prefix', async ({ base }) => {
  const response = await call(base, '/auth/register', { method: 'POST', body: credentials });
  assert.equal(response.status, 201);
  assert.equal(response.body.email, 'host.user@example.com');
});
check('login returns a token pair', async ({ base }) => {
  const response = await call(base, '/auth/login', { method: 'POST', body: credentials });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  tokens = response.body;
});
check('a guarded host route refuses a request without a token', async ({ base }) => {
  const response = await call(base, '/whoami');
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer');
});
check('a guarded host route knows the signed-in user', async ({ base }) => {
  const response = await call(base, '/whoami', { token: tokens.accessToken });
  assert.equal(response.status, 200);
  assert.equal(response.body.email, 'host.user@example.com');
});
check('a @Roles host route refuses a user without the role', async ({ base }) => {
  const response = await call(base, '/admin-only', { token: tokens.accessToken });
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer error="insufficient_scope"');
});
check('refresh rotates the refresh token', async ({ base }) => {
  const response = await call(base, '/auth/refresh', {
    method: 'POST',
    body: { refreshToken: tokens.refreshToken },
  });
  assert.equal(response.status, 200);
  assert.notEqual(response.body.refreshToken, tokens.refreshToken);
  tokens = response.body;
});
check('logout revokes the access token at once', async ({ base }) => {
  assert.equal(
    (await call(base, '/auth/logout', { method: 'POST', token: tokens.accessToken })).status,
    204,
  );
  assert.equal((await call(base, '/whoami', { token: tokens.accessToken })).status, 401);
});

try {
  await withAdmin(`CREATE DATABASE ${database}`);
} catch (error) {
  console.error(
    `packaging: cannot create a database at ${admin} (${error.message}). ` +
      'Start PostgreSQL, or set PACKAGING_POSTGRES_URL to a server where this user may create databases.',
  );
  process.exit(1);
}
const url = new URL(admin);
url.pathname = `/${database}`;
let host;
let failed = 0;
try {
  host = await boot(url.toString());
  for (const [name, fn] of checks) {
    try {
      await fn(host);
      passed += 1;
      console.log(`  ok  ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`  FAIL ${name}: ${error.message}`);
    }
  }
} finally {
  host?.child.kill();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await withAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
console.log(`packaging: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === checks.length ? 0 : 1);
