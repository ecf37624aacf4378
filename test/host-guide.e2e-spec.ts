import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
import { AuthError, AuthModule, AuthService } from '../src/auth';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';

/**
 * docs/host-guide.md: the README leads to it, and the first-admin recipe does what the guide says. Its snippets are
 * compiled with every page's by test/docs.e2e-spec.ts.
 */
const ROOT = resolve(__dirname, '..');

describe('docs/host-guide.md', () => {
  it('is linked from the README\'s "Use it in your Nest app"', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it in your Nest app'));

    expect(section.slice(0, section.indexOf('\n```'))).toContain('(docs/host-guide.md)');
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
