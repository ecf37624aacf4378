// What every benchmark does around its measurements: a temp dir, and a clean-up that runs once whether the run
// ends, fails or is interrupted.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyAgents } from './http.mjs';
import { stopAllServers } from './servers.mjs';

const tempDirs = [];

// When the process dies without the clean-up below (an uncaught error, a closed stdout): servers.mjs kills the
// children on exit, and this removes their files.
process.on('exit', () => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, deleted by the clean-up. */
export function makeTempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'nest-auth-bench-'));
  tempDirs.push(dir);
  return dir;
}

/**
 * Runs `main` (which resolves to true when the run passed) and cleans up: servers stopped, connections closed,
 * then `cleanUp` (the benchmark's own resources), then the temp dirs deleted. On SIGINT/SIGTERM the clean-up runs
 * and the process exits with 130. Sets the exit code: 0 when `main` passed, 1 otherwise.
 */
export async function runBenchmark(main, { cleanUp: cleanUpOwn = async () => {} } = {}) {
  let cleaningUp;
  const cleanUp = () =>
    (cleaningUp ??= (async () => {
      await stopAllServers();
      destroyAgents();
      try {
        await cleanUpOwn();
      } catch (error) {
        process.stderr.write(`clean-up failed: ${error.message}\n`);
      }
      for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    })());

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      cleanUp().finally(() => process.exit(130));
    });
  }

  let ok = false;
  try {
    ok = await main();
  } catch (error) {
    process.stderr.write(`benchmark failed: ${error.stack ?? error}\n`);
  } finally {
    await cleanUp();
  }
  process.exitCode = ok ? 0 : 1;
}
