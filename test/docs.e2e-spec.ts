import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveAuthOptions } from '../src/auth/core/options/resolve-auth-options';
import { resolveMailOptions } from '../src/auth/features/account-mail/account-mail.options';
import { resolveMfaOptions } from '../src/auth/features/mfa/mfa.options';
import { loadConfig } from '../src/config/load-config';
import {
  asSourceFile,
  clientGivens,
  docPages,
  ROOT,
  snippetsOf,
  typeCheck,
} from './support/doc-snippets';

/**
 * The docs (README.md and docs/*.md) as a reader meets them: every TypeScript block compiles against the package,
 * every link lands in the repository, and what two places both state agrees with the code: the configuration page's
 * variables and defaults are the reference server's, its option tables are the types' members, once each.
 */
const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** The page's text from the heading `heading` to the next heading of the same or a higher level. */
function section(page: string, heading: string): string {
  const text = `\n${read(page)}`;
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${page} has no section ${heading}`);
  const level = heading.indexOf(' ');
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The rows of the first Markdown table in `text`, each as its cells (header and rule left out). */
function tableRows(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The names in a cell: every `backticked` word of it. */
const namesIn = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

/** The member names of an exported interface, read from its source file. */
function interfaceMembers(file: string, name: string): string[] {
  const source = readFileSync(resolve(ROOT, file), 'utf8');
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`${file} has no interface ${name}`);
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)].map((match) => match[1]);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(page: string): Set<string> {
  const text = read(page).replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1])));
}

describe('the docs', () => {
  const pages = docPages();

  it('README.md stays a front page: under 250 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThan(250);
  });

  describe('TypeScript snippets', () => {
    const snippets = pages.flatMap(snippetsOf);

    it('are all marked compiled, on every page', () => {
      const unmarked = snippets
        .filter((snippet) => snippet.harness === undefined)
        .map((snippet) => `${snippet.page}:${snippet.line}`);
      const harnesses = new Set(snippets.map((snippet) => snippet.harness));

      expect(snippets.length).toBeGreaterThan(20);
      expect(unmarked).toEqual([]);
      expect([...harnesses].filter((harness) => !['module', 'client'].includes(harness!))).toEqual(
        [],
      );
    });

    it('type-check against the package, and the check can fail', () => {
      // One program for every snippet (a program costs half a minute), plus one that must not compile.
      const broken = asSourceFile({
        page: 'broken.md',
        line: 1,
        harness: 'module',
        code: "import { AuthModule } from 'nest-session-auth';\nAuthModule.forRoot({ jwtSecret: 42 });\n",
      });
      const sources = new Map([clientGivens(), broken, ...snippets.map(asSourceFile)]);
      const complaints = typeCheck(sources);
      const brokenName = broken[0].slice(ROOT.length + 1);

      expect(complaints.filter((line) => !line.startsWith(`${brokenName}:`))).toEqual([]);
      expect(complaints.filter((line) => line.startsWith(`${brokenName}:`))).not.toEqual([]);
    }, 180_000);
  });

  it('link only to files and headings of the repository', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:\/\/localhost[:/]/.test(target)) continue;
        if (/^[a-z]+:/i.test(target)) {
          broken.push(`${page}: ${target} is outside the repository`);
          continue;
        }
        const [path, anchor] = target.split('#');
        const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), path);
        if (!file.startsWith(`${ROOT}/`) || !existsSync(file)) broken.push(`${page}: ${target}`);
        else if (anchor !== undefined && file.endsWith('.md')) {
          if (!anchorsOf(file.slice(ROOT.length + 1)).has(anchor))
            broken.push(`${page}: ${target}`);
        }
      }
    }

    expect(broken).toEqual([]);
  });

  describe('docs/configuration.md', () => {
    const PAGE = 'docs/configuration.md';

    it("lists every variable of the reference server once, and no other, with the code's default", () => {
      const rows = tableRows(section(PAGE, '## Environment variables of the reference server'));
      const documented = rows.map((row) => namesIn(row[0]));
      const code = [
        ...new Set(
          ['config/load-config.ts', 'config/secrets.ts', 'config/signing-keys.ts'].flatMap((file) =>
            [...read(`src/${file}`).matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g)]
              .map((match) => match[1])
              .filter((name) => !/^(HS|RS|ES)\d+$/.test(name)),
          ),
        ),
      ].sort();
      const example = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map(
        (match) => match[1],
      );

      // One variable per row.
      expect(documented.filter((names) => names.length !== 1)).toEqual([]);
      const names = documented.map(([name]) => name);
      expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
      expect([...names].sort()).toEqual(code);
      expect(example.filter((name) => !names.includes(name))).toEqual([]);

      // A default cell that starts with a value is the development default: setting the variable to it changes
      // nothing the server reads (the secrets, random per run in development, aside).
      const comparable = (env: Record<string, string>) => {
        const { config } = loadConfig(env);
        return { ...config, jwt: { ...config.jwt, secret: '', refreshSecret: '' } };
      };
      const unset = comparable({});
      const wrong = rows
        .filter((row) => /^`[^`$]*`/.test(row[1]))
        .map((row) => [namesIn(row[0])[0], namesIn(row[1])[0]] as const)
        .filter(([name, value]) => {
          try {
            return JSON.stringify(comparable({ [name]: value })) !== JSON.stringify(unset);
          } catch {
            return true;
          }
        });
      expect(wrong).toEqual([]);
      expect(rows.filter((row) => /^`/.test(row[1])).length).toBeGreaterThan(35);
    });

    it.each([
      ['## Module options', 'src/auth/core/options/auth.options.ts', 'AuthModuleOptions'],
      ['## Extras', 'src/auth/auth.module-extras.ts', 'AuthModuleExtras'],
      [
        '### Options of `accountMail`',
        'src/auth/features/account-mail/account-mail.options.ts',
        'AccountMailOptions',
      ],
    ])('%s: one row per member of the type, each member once', (heading, file, type) => {
      const members = interfaceMembers(file, type);
      const documented = tableRows(section(PAGE, heading)).flatMap((row) => namesIn(row[0]));

      expect(members.length).toBeGreaterThan(3);
      expect(documented.filter((name, index) => documented.indexOf(name) !== index)).toEqual([]);
      expect([...documented].sort()).toEqual([...members].sort());
    });
  });

  describe('option tables state the defaults the module applies', () => {
    /** `{ limit: 10, ttl: 60 }` and `{"limit":10,"ttl":60}` alike. */
    const normal = (text: string) => text.replace(/["'\s_]/g, '');
    const secrets = {
      jwtSecret: 'docs-check-access-secret-0123456789abcdef',
      jwtRefreshSecret: 'docs-check-refresh-secret-0123456789abcdef',
    };
    const tables: [string, string, Record<string, unknown>][] = [
      ['docs/configuration.md', '## Module options', { ...resolveAuthOptions(secrets) }],
      ['docs/configuration.md', '### Options of `accountMail`', { ...resolveMailOptions() }],
      ['docs/mfa.md', '# Second factor and step-up', { ...resolveMfaOptions() }],
    ];

    it.each(tables)('%s, %s', (page, heading, resolved) => {
      const rows = tableRows(section(page, heading));
      // A default cell that starts with a value (not "none", "required", prose) states what the code fills in;
      // values that are objects are compared only when the cell spells one.
      const stated = rows
        .filter((row) => /^`/.test(row[1]))
        .map((row) => [namesIn(row[0])[0], namesIn(row[1])[0]] as const)
        .filter(([name, value]) => {
          const actual = resolved[name];
          return actual !== undefined && (typeof actual !== 'object' || /^[[{]/.test(value));
        });
      const wrong = stated.filter(([name, value]) => {
        const actual = resolved[name];
        return (
          normal(typeof actual === 'string' ? actual : JSON.stringify(actual)) !== normal(value)
        );
      });

      expect(stated.length).toBeGreaterThan(4);
      expect(wrong).toEqual([]);
    });
  });

  it('set variables of the reference server only to values it accepts, on every page', () => {
    const known = new Set(
      tableRows(
        section('docs/configuration.md', '## Environment variables of the reference server'),
      ).map((row) => namesIn(row[0])[0]),
    );
    // Values that need a partner or a file to be read alone (keys, secrets, TLS files, the admin pair).
    const alone = (name: string) =>
      !/^(JWT_(SECRET|REFRESH_SECRET|PRIVATE_KEY|PUBLIC_KEY|PREVIOUS_PUBLIC_KEYS|ALGORITHM)|ADMIN_\w+|TLS_\w+|MFA_ENCRYPTION_KEY|NODE_ENV)$/.test(
        name,
      );
    const refused: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const [, name, value] of read(page).matchAll(/\b([A-Z][A-Z0-9_]+)=([^\s`'"|)]+)/g)) {
        if (!known.has(name) || !alone(name) || /[$<…]|\.\.\./.test(value)) continue;
        checked += 1;
        try {
          loadConfig({ [name]: value });
        } catch (error) {
          refused.push(`${page}: ${name}=${value}: ${(error as Error).message}`);
        }
      }
    }

    expect(refused).toEqual([]);
    expect(checked).toBeGreaterThan(5);
  });

  it("give the README's install lines, the ones the host matrix installs, wherever they give one", () => {
    const readme = read('README.md');
    const block = readme.slice(
      readme.indexOf('<!-- host-matrix:install -->'),
      readme.indexOf('<!-- /host-matrix:install -->'),
    );
    const lines = new Set(block.match(/^npm install nest-session-auth .*$/gm));
    const others = pages
      .flatMap((page) =>
        (read(page).match(/^npm install nest-session-auth .*$/gm) ?? []).map((line) => [
          page,
          line,
        ]),
      )
      .filter(([, line]) => !lines.has(line));

    // Nest 12, Nest 12 with stores of its own (no optional peer), Nest 11.
    expect(lines.size).toBe(3);
    expect(others).toEqual([]);
  });

  it('name the SQLite durability the code sets (synchronous FULL by default), nowhere NORMAL as the default', () => {
    const sayNormalByDefault = pages.filter((page) =>
      /(default[^.\n]*synchronous=NORMAL|synchronous=NORMAL[^.\n]*default)/i.test(read(page)),
    );

    expect(read('docs/configuration.md')).toMatch(/`SQLITE_SYNCHRONOUS`\s*\|\s*`full`/);
    expect(sayNormalByDefault).toEqual([]);
  });
});
