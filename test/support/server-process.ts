import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { E2E_HTTP_ADAPTER } from './test-app';

const MAIN = resolve(__dirname, '../../dist/main.js');
/**
 * How long a spawned server may take to say it listens before the test calls it hung. Generous: loading Nest 12
 * and TypeORM takes about 1.5 s of CPU, and on a loaded 2-core machine a boot was seen to take over 20 s.
 */
const START_TIMEOUT_MS = 45_000;

export interface ServerProcess {
  url: string;
  /** The process's working directory: fresh and empty at start. */
  cwd: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `node dist/main.js` as a user runs it (`npm run build` first), in a fresh empty working directory with no `.env`,
 * with only `env` (plus PATH and the HTTP adapter of this run) as its environment, on a free port.
 */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const { child, cwd } = spawnServer({ PORT: '0', ...env });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', () => {
      const match = /Listening on (https?:\/\/[^\s]+) /.exec(output);
      if (match) {
        clearTimeout(timer);
        // The line names the real bind address; a server bound to every interface is reached on loopback.
        resolveUrl(match[1].replace(/\[::1?\]|0\.0\.0\.0/, '127.0.0.1'));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    cwd,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

/** Runs `node dist/main.js` expecting it to refuse to start; resolves with its exit code and output. */
export function runServerToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const { child } = spawnServer({ PORT: '0', ...env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolveExit, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not exit:\n${output}`));
    }, START_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveExit({ code, output });
    });
  });
}

function spawnServer(env: Record<string, string>): { child: ChildProcess; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'auth-server-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HTTP_ADAPTER: E2E_HTTP_ADAPTER, ...env },
    stdio: 'pipe',
  });
  return { child, cwd };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.on('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}
