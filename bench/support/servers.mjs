// Child processes of the benchmarks: the reference server (`node dist/main.js`), the floor server, and one-shot
// node scripts. Every child is killed when the benchmark ends, however it ends.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = join(ROOT, 'dist/main.js');

// Fixed, so that a token issued by one server verifies on another started with the same secret (the floor).
export const JWT_SECRET = 'bench-access-secret-0123456789abcdef-0123456789';
export const JWT_REFRESH_SECRET = 'bench-refresh-secret-0123456789abcdef-01234567';

/** Throws unless the reference server is built (`nest build`, which `npm run bench` runs first). */
export function assertBuilt() {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run "nest build" first (npm run bench does).`);
}

const TAIL_CHARS = 4000;
// Generous: on a loaded shared machine several servers booting at once took over 30 s.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const children = new Set();
const servers = new WeakMap(); // child -> its server object, for stopAllServers

// The last resort when the benchmark dies without cleaning up: no server outlives it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Production settings with the limits that would cut a benchmark short turned off. Only PATH is inherited, so that
 * nothing of the caller's environment (a UV_THREADPOOL_SIZE, a REDIS_URL, a .env-style JWT_* export) changes what
 * is measured.
 */
export function serverEnv({ databaseUrl, adapter = 'fastify', logLevel = 'info' }) {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    HTTP_ADAPTER: adapter,
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    JWT_REFRESH_SECRET,
    BCRYPT_ROUNDS: '10',
    // Required in production; nothing listens there: registration mail waits in the outbox, unmeasured.
    SMTP_URL: 'smtp://127.0.0.1:9',
    // No verification mail per registration: the sign-ups of the other measurements stay as they were.
    EMAIL_VERIFICATION: 'off',
    THROTTLE_AUTH_LIMIT: '0',
    PRUNE_INTERVAL: '0',
    // Required in production while the second factor is on; the bench enrols no factor.
    MFA_ENCRYPTION_KEY: 'bench-mfa-encryption-key-0123456789abcdef',
    // info, the production default, also gives the "Listening on" line; request lines are read and dropped.
    LOG_LEVEL: logLevel,
  };
}

/**
 * Runs `script` (default: the reference server) in `cwd`; resolves once it is up: when it prints "Listening on
 * <url>", or, when `url` is given (a server whose log level hides that line, on a port chosen by the caller), when
 * `<url>/health` answers. Its standard output goes to a file in `cwd`, not through a pipe: at `info` a server writes
 * a log line per request, megabytes a second under load, and a benchmark draining them would spend on it the core its
 * load generator needs (the refresh rate measured 30% lower that way). Standard error is drained; only its tail is
 * kept, for error messages, with the output file's tail. `nodeArgs` go to node before the script.
 */
export function startServer(name, { env, cwd, script = MAIN, url, nodeArgs = [] }) {
  const outFile = join(cwd, `${name}.${process.pid}.${serial++}.out`);
  const out = openSync(outFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env,
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  children.add(child);
  const server = { name, child, pid: child.pid, url, stopping: false, errTail: '' };
  Object.defineProperty(server, 'tail', { get: () => `${fileTail(outFile)}${server.errTail}` });
  servers.set(child, server);
  child.stderr.on('data', (chunk) => (server.errTail = keepTail(server.errTail, chunk)));
  return new Promise((resolveStart, reject) => {
    let settled = false;
    const settle = (error) => {
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      if (error) reject(error);
      else resolveStart(server);
    };
    const timer = setTimeout(
      () => settle(new Error(`${name}: not up in ${START_TIMEOUT_MS / 1000} s:\n${server.tail}`)),
      START_TIMEOUT_MS,
    );
    // The URL must be followed by something (a space in the server's JSON line, a newline from the floor), or it
    // could be cut at the end of what was written so far.
    const watch = url
      ? undefined
      : setInterval(() => {
          const match = /Listening on (https?:\/\/[^\s"]+)\s/.exec(fileHead(outFile));
          if (!match || settled) return;
          server.url = match[1].replace('[::1]', '127.0.0.1');
          settle();
        }, 10);
    child.on('exit', (code, signal) => {
      children.delete(child);
      const how = `${name} exited (${code ?? signal})`;
      // After the start, only stopServer should end it: say so at once, with why, rather than let requests fail.
      if (settled && !server.stopping)
        process.stderr.write(`${how} during the run:\n${server.tail}\n`);
      if (!settled) settle(new Error(`${how}:\n${server.tail}`));
    });
    if (url) {
      pollHealth(url, () => settled).then(() => {
        if (!settled) settle();
      });
    }
  });
}

let serial = 0;
/** The start of a server's output file: its boot lines, where "Listening on" is. */
const HEAD_BYTES = 256 * 1024;

function fileHead(file) {
  return readPart(file, 0, HEAD_BYTES);
}

function fileTail(file) {
  const size = existsSync(file) ? statSync(file).size : 0;
  return readPart(file, Math.max(0, size - TAIL_CHARS), TAIL_CHARS);
}

function readPart(file, position, length) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Resolves once GET <url>/health gets any answer (or `done()` turns true). */
async function pollHealth(url, done) {
  while (!done()) {
    const answered = await new Promise((resolveGet) => {
      const probe = http.get(new URL('/health', url), { agent: false }, (response) => {
        response.resume();
        resolveGet(true);
      });
      probe.on('error', () => resolveGet(false));
    });
    if (answered) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

/** A TCP port free right now on 127.0.0.1 (for a server that will not say which port it got). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** Converts only the end of a large chunk: at info level a server writes megabytes of request lines per second. */
function keepTail(tail, chunk) {
  const end = chunk.length > TAIL_CHARS ? chunk.subarray(chunk.length - TAIL_CHARS) : chunk;
  return (tail + end.toString('utf8')).slice(-TAIL_CHARS);
}

export const isRunning = (server) =>
  server.child.exitCode === null && server.child.signalCode === null;

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
export function stopServer(server) {
  const { child } = server;
  server.stopping = true;
  if (!isRunning(server)) return Promise.resolve();
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

export function stopAllServers() {
  return Promise.all([...children].map((child) => stopServer(servers.get(child) ?? { child })));
}

/** Runs a node script to its end; resolves with its stdout, rejects on a non-zero exit (with its stderr). */
export function runNode(script, args, { env, cwd }) {
  const child = spawn(process.execPath, [script, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr = keepTail(stderr, chunk)));
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0) resolveRun(stdout);
      else reject(new Error(`${script} exited (${code ?? signal}):\n${stderr}`));
    });
  });
}
