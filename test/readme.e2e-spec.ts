import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { type ServerProcess, startServer } from './support/server-process';

/**
 * The README's "Try it" must work as pasted. The rest of what the docs state is checked by test/docs.e2e-spec.ts
 * (snippets compiled, links, the configuration page against the code).
 */
const ROOT = resolve(__dirname, '..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** The body of the first fenced block after `marker` (an HTML comment in the README). */
function blockAfter(marker: string): string {
  const start = README.indexOf(marker);
  if (start < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(start));
  if (!match) throw new Error(`README.md has no code block after ${marker}`);
  return match[1];
}

describe('the README', () => {
  describe('"Try it", pasted into a shell as it stands', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer({ BCRYPT_ROUNDS: '4' });
    });
    afterAll(() => server.stop());

    it('registers, logs in, calls /protected, refreshes and logs out against a fresh server', async () => {
      const host = new URL(server.url).host;
      const script = blockAfter('<!-- try-it').replaceAll('localhost:3000', host);
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
        timeout: 20_000,
      });

      expect(stdout).toContain('"email":"ada@example.com"');
      expect(stdout).toContain('"message":"Hello ada@example.com"');
      expect(stdout.match(/"tokenType":"Bearer"/g)).toHaveLength(2);
      // The logout answers 204, and the access token it ended is refused.
      expect(stdout.trimEnd().split('\n').slice(-2)).toEqual(['204', '401']);
    });
  });
});
