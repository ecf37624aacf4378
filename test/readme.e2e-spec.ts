import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { type ServerProcess, startServer } from './support/server-process';

/**
 * The README is the documentation of record: what it tells a newcomer to paste must work, and what it lists must be
 * complete. These checks keep it from drifting away from the code.
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

/** The README text from the heading `heading` to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section ${heading}`);
  const level = heading.indexOf(' ');
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The member names of an exported interface, read from its source file. */
function interfaceMembers(file: string, name: string): string[] {
  const source = readFileSync(resolve(ROOT, file), 'utf8');
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`${file} has no interface ${name}`);
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((match) => match[1]);
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

  it('lists every option of AuthModuleOptions in its options table', () => {
    const table = section('### Options (`forRoot(options)`, or what `useFactory` returns)');
    const options = interfaceMembers('src/auth/core/options/auth.options.ts', 'AuthModuleOptions');

    expect(options.length).toBeGreaterThan(20);
    expect(options.filter((option) => !table.includes(`\`${option}\``))).toEqual([]);
  });

  it('lists every extra of AuthModuleExtras in its extras table', () => {
    const table = section('### Extras (given to `forRoot` / `forRootAsync` directly)');
    const extras = interfaceMembers('src/auth/auth.module-extras.ts', 'AuthModuleExtras');

    expect(extras.length).toBeGreaterThan(3);
    expect(extras.filter((extra) => !table.includes(`\`${extra}\``))).toEqual([]);
  });

  it('links only to its own sections and files, never outside the repository', () => {
    const targets = [...README.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
    const outside = targets.filter((target) => {
      if (target.startsWith('#')) return false;
      if (/^https?:\/\/localhost[:/]/.test(target)) return false;
      if (/^[a-z]+:/i.test(target)) return true;
      const file = resolve(ROOT, target.split('#')[0]);
      return !file.startsWith(`${ROOT}/`) || !existsSync(file);
    });

    expect(outside).toEqual([]);
  });
});
