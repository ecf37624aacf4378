import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
import { AuthError, AuthModule, AuthService } from '../src/auth';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';

/**
 * docs/host-guide.md: the README leads to it, and the first-admin recipe does what the guide says; docs/mfa.md's
 * ASVS table names tests that exist. Its snippets are
 * compiled with every page's by test/docs.e2e-spec.ts.
 */
const ROOT = resolve(__dirname, '..');
const MFA_GUIDE = readFileSync(join(ROOT, 'docs/mfa.md'), 'utf8');

describe('docs/host-guide.md', () => {
  it('is linked from the README\'s "Use it in your Nest app"', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it in your Nest app'));

    expect(section.slice(0, section.indexOf('\n```'))).toContain('(docs/host-guide.md)');
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
