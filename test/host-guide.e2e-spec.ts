import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
import * as ts from 'typescript';
import { AuthError, AuthModule, AuthService } from '../src/auth';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';

/**
 * docs/host-guide.md and docs/mfa.md: every ```ts block after `<!-- compiled -->` type-checks against the package (its
 * entries mapped to their sources, as package.json's "exports" maps them to their compiled files), and the
 * first-admin recipe does what the guide says.
 */
const ROOT = resolve(__dirname, '..');
const GUIDE = readFileSync(join(ROOT, 'docs/host-guide.md'), 'utf8');
const MFA_GUIDE = readFileSync(join(ROOT, 'docs/mfa.md'), 'utf8');

/** The blocks a guide marks as compiled, in order. */
function compiledBlocks(guide = GUIDE): string[] {
  return [...guide.matchAll(/<!-- compiled -->\s*```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
}

/** `nest-session-auth` and its subpaths, each to its source: `./dist/auth/x.d.ts` -> `src/auth/x.ts`. */
function packagePaths(): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, { types?: string } | string>;
  };
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string' || target.types === undefined) continue;
    const source = target.types.replace(/^\.\/dist\//, './src/').replace(/\.d\.ts$/, '.ts');
    paths[join('nest-session-auth', subpath)] = [join(ROOT, source)];
  }
  return paths;
}

/** The type checker's complaints about `sources` (file name -> text), one line each. */
function typeCheck(sources: Map<string, string>): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    paths: packagePaths(),
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => sources.get(file) ?? readFile(file);
  host.fileExists = (file) => sources.has(file) || fileExists(file);
  const program = ts.createProgram([...sources.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || sources.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      const where = diagnostic.file
        ? `${diagnostic.file.fileName.slice(ROOT.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
        : 'options';
      return `${where}: ${text}`;
    });
}

describe('docs/host-guide.md', () => {
  it('marks its TypeScript snippets as compiled, each of them', () => {
    const all = [...GUIDE.matchAll(/```ts\n/g)].length;

    expect(compiledBlocks().length).toBeGreaterThanOrEqual(5);
    expect(compiledBlocks()).toHaveLength(all);
  });

  // One program for both guides' snippets (docs/mfa.md's too): a program costs seconds to build.
  it('has snippets that type-check against the package, and so has docs/mfa.md', () => {
    const sources = new Map([
      ...compiledBlocks().map(
        (code, index) => [join(ROOT, 'test', `host-guide-snippet-${index + 1}.ts`), code] as const,
      ),
      ...compiledBlocks(MFA_GUIDE).map(
        (code, index) => [join(ROOT, 'test', `mfa-guide-snippet-${index + 1}.ts`), code] as const,
      ),
    ]);

    expect(typeCheck(sources)).toEqual([]);
  }, 120_000);

  it('fails on a snippet that does not type-check (the check can fail)', () => {
    const broken = new Map([
      [
        join(ROOT, 'test', 'host-guide-snippet-broken.ts'),
        "import { AuthModule } from 'nest-session-auth';\nAuthModule.forRoot({ jwtSecret: 42 });\n",
      ],
    ]);

    expect(typeCheck(broken)).not.toEqual([]);
  }, 120_000);

  it('is linked from the README\'s "Use it in your Nest app"', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it in your Nest app'));

    expect(section.slice(0, section.indexOf('\n```'))).toContain('(docs/host-guide.md)');
  });
});

describe('docs/mfa.md', () => {
  it('marks its TypeScript snippets as compiled, the client code of each step among them', () => {
    const all = [...MFA_GUIDE.matchAll(/```ts\n/g)].length;
    const compiled = compiledBlocks(MFA_GUIDE);

    expect(compiled).toHaveLength(all);
    for (const step of [
      'enrolTotp',
      'logIn',
      'getWithStepUp',
      'renewRecoveryCodes',
      'resetPassword',
    ]) {
      expect(compiled.join('\n')).toContain(`export async function ${step}(`);
    }
  });
});

describe("docs/mfa.md's ASVS table", () => {
  it('names tests that exist: every quoted name is a test of the suite or spec it names', () => {
    const table = MFA_GUIDE.slice(
      MFA_GUIDE.indexOf('## OWASP ASVS 5.0'),
      MFA_GUIDE.indexOf('Not claimed'),
    );
    const rows = table.split('\n').filter((line) => /^\| \d\.\d\.\d/.test(line));
    const specs = [
      'test/mfa.e2e-spec.ts',
      'src/auth/features/mfa/mfa-store.spec.ts',
      'src/auth/features/mfa/recovery-codes.spec.ts',
      'src/auth/features/mfa/totp.spec.ts',
    ]
      .map((path) => readFileSync(join(ROOT, path), 'utf8'))
      .join('\n')
      .replace(/’/g, "'");

    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      const names = [...row.split(/(?<!\\)\|/)[4].matchAll(/"([^"]+)"/g)].flatMap(([, quoted]) =>
        quoted.split('…').filter((part) => part.trim().length > 0),
      );
      expect({ row: row.slice(0, 30), names: names.length > 0 }).toEqual({
        row: row.slice(0, 30),
        names: true,
      });
      for (const name of names)
        expect({ name, found: specs.includes(name) }).toEqual({ name, found: true });
    }
  });
});

describe('the first admin, through AuthService (section 6)', () => {
  it('is created with its roles, signs in as admin, and a second start leaves it alone', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRoot({
          ...HOST_AUTH_OPTIONS,
          userStore: new InMemoryUserStore(),
          sessionStore: new InMemorySessionStore(),
          typeorm: false,
          features: [],
        }),
      ],
    }).compile();
    const auth = moduleRef.get(AuthService);

    const admin = await auth.register('root@example.com', 'correct horse battery', [
      'user',
      'admin',
    ]);
    const again = await auth
      .register('root@example.com', 'another password entirely', ['user', 'admin'])
      .catch((error: unknown) => error);
    const pair = await auth.login('root@example.com', 'correct horse battery', {});
    await moduleRef.close();

    expect(admin.roles).toEqual(['user', 'admin']);
    expect(again).toBeInstanceOf(AuthError);
    expect(again).toMatchObject({ code: 'EMAIL_TAKEN' });
    const token = (pair as { accessToken: string }).accessToken;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
      roles: string[];
    };
    expect(claims.roles).toContain('admin');
  });
});
