import {
  Controller,
  Get,
  type INestApplication,
  Injectable,
  Module,
  type Type,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import request from 'supertest';
import {
  administration,
  AuthModule,
  AuthService,
  type AuthUser,
  CLOCK,
  CurrentUser,
  type PublicUser,
  Public,
  type TokenPair,
  type UserRecord,
} from '../src/auth';
import type { AuthHooks, SessionOpening } from '../src/auth/feature-kit';
import { InMemorySessionStore, InMemoryUserStore, ManualClock } from '../src/auth/testing';

/**
 * CONTRACT §5, Features and hooks, as a host app uses them through the package's entries: its own hook class
 * (provided by its own module, injecting its own service) adds access-token claims and public-user fields, keeps the
 * profile registration accepts, and asks for a second factor of its own at login; `@Public()` routes read the
 * caller when a valid token comes, and an anonymous one for any other token.
 */
const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';
const PASSWORD = 'correct horse battery';
/** As the other host suites' options; here, so that this suite loads no TypeORM (it keeps no database). */
const HOST_AUTH_OPTIONS = {
  jwtSecret: 'host-access-secret-0123456789abcdefghijklmnop',
  jwtRefreshSecret: 'host-refresh-secret-0123456789abcdefghijklmnop',
  bcryptRounds: 4,
  allowWeakSettings: true,
};
/** The access-token lifetime of HOST_AUTH_OPTIONS (the module's default), in seconds. */
const ACCESS_LIFETIME = 900;

/** The profile `POST /auth/register` accepts under `profile`. */
class SignUpProfile {
  @IsString()
  @Length(1, 40)
  displayName!: string;

  @IsOptional()
  @IsIn(['acme', 'globex'])
  tenant?: string;
}

/** The host's own service: where it keeps profiles (a table of its own, in a real app). */
@Injectable()
class Profiles {
  private readonly byUser = new Map<string, { displayName: string; tenant: string }>();

  keep(userId: string, profile: SignUpProfile): void {
    this.byUser.set(userId, { displayName: profile.displayName, tenant: profile.tenant ?? 'acme' });
  }

  moveTo(userId: string, tenant: string): void {
    const profile = this.byUser.get(userId);
    if (profile) profile.tenant = tenant;
  }

  of(userId: string): { displayName: string; tenant: string } | undefined {
    return this.byUser.get(userId);
  }
}

/** What the host's tokens carry beyond the module's claims. */
interface HostClaims {
  tenant: string;
}

@Injectable()
class HostHooks implements AuthHooks {
  constructor(private readonly profiles: Profiles) {}

  userRegistered(_user: PublicUser, profile?: object): void {
    if (profile instanceof SignUpProfile) this.profiles.keep(_user.id, profile);
  }

  accessTokenClaims(user: UserRecord): HostClaims | { sub: string } | undefined {
    // A host's mistake, for the test: a claim the module sets.
    if (user.email.startsWith('reserved-')) return { sub: 'someone-else' };
    const profile = this.profiles.of(user.id);
    return profile && { tenant: profile.tenant };
  }

  publicUserFields(user: UserRecord): { displayName: string } | undefined {
    const profile = this.profiles.of(user.id);
    return profile && { displayName: profile.displayName };
  }

  /** The host's own rule: its staff's addresses need a code it mails itself, whatever `mfa()` would say. */
  sessionOpening(user: UserRecord): SessionOpening {
    return user.email.endsWith('@staff.example')
      ? { challenge: { hostChallenge: 'mailed-code', userHint: user.email.slice(0, 1) } }
      : undefined;
  }
}

@Module({ providers: [Profiles, HostHooks], exports: [Profiles] })
class ProfilesModule {}

@Controller('host')
class HostController {
  @Public()
  @Get('greeting')
  greeting(@CurrentUser() caller: AuthUser<HostClaims> | undefined) {
    return { caller: caller?.id ?? null, tenant: caller?.claims?.tenant ?? null };
  }

  @Get('tenant')
  tenant(@CurrentUser() caller: AuthUser<HostClaims>) {
    return { tenant: caller.claims?.tenant };
  }
}

function hostModule(hooks: readonly Type<AuthHooks>[]) {
  @Module({
    imports: [
      ProfilesModule,
      AuthModule.forRoot({
        ...HOST_AUTH_OPTIONS,
        userStore: new InMemoryUserStore(),
        sessionStore: new InMemorySessionStore(),
        features: [administration()],
        hooks,
        registrationProfile: SignUpProfile,
      }),
    ],
    controllers: [HostController],
  })
  class HostModule {}
  return HostModule;
}

async function start(hooks: readonly Type<AuthHooks>[], clock: ManualClock) {
  const moduleRef = await Test.createTestingModule({ imports: [hostModule(hooks)] })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication(
    E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
    { logger: false },
  );
  await app.init();
  if (E2E_HTTP_ADAPTER === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

let app: INestApplication;
const clock = new ManualClock(Date.now());
const http = () => request(app.getHttpServer());

beforeAll(async () => {
  app = await start([HostHooks], clock);
});
afterAll(() => app.close());

async function signUp(email: string, profile: SignUpProfile): Promise<{ id: string }> {
  const response = await http()
    .post('/auth/register')
    .send({ email, password: PASSWORD, profile })
    .expect(201);
  return response.body as { id: string };
}

async function logIn(email: string): Promise<TokenPair> {
  const response = await http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  return response.body as TokenPair;
}

describe('custom access-token claims and public-user fields', () => {
  it('keeps the registration profile and shows its fields in the answer and in /me', async () => {
    const response = await http()
      .post('/auth/register')
      .send({
        email: 'ada@example.com',
        password: PASSWORD,
        profile: { displayName: 'Ada', tenant: 'globex' },
      })
      .expect(201);

    expect(response.body).toMatchObject({ email: 'ada@example.com', displayName: 'Ada' });
    const { accessToken } = await logIn('ada@example.com');
    const me = await http().get('/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    expect(me.body).toMatchObject({ id: response.body.id, displayName: 'Ada', roles: ['user'] });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('puts the claims in the access token (not the refresh token) and gives them to @CurrentUser()', async () => {
    await signUp('grace@example.com', { displayName: 'Grace', tenant: 'acme' });
    const pair = await logIn('grace@example.com');

    expect(claimsOf(pair.accessToken)).toMatchObject({ tenant: 'acme', roles: ['user'] });
    expect(claimsOf(pair.refreshToken)).not.toHaveProperty('tenant');
    const tenant = await http().get('/host/tenant').auth(pair.accessToken, { type: 'bearer' });
    expect(tenant.body).toEqual({ tenant: 'acme' });
  });

  it('computes the claims again at every refresh, and for a session a host starts itself', async () => {
    const { id } = await signUp('linus@example.com', { displayName: 'Linus', tenant: 'acme' });
    const pair = await logIn('linus@example.com');
    app.get(Profiles).moveTo(id, 'globex');

    const refreshed = await http()
      .post('/auth/refresh')
      .send({ refreshToken: pair.refreshToken })
      .expect(200);
    expect(claimsOf(refreshed.body.accessToken)).toMatchObject({ tenant: 'globex' });
    const started = await app.get(AuthService).startSession(id);
    expect(claimsOf(started.accessToken)).toMatchObject({ tenant: 'globex' });
  });

  it('refuses a hook giving a claim the module sets: no token is issued (500), whatever the hook says', async () => {
    await app.get(AuthService).register('reserved-claims@example.com', PASSWORD);

    const response = await http()
      .post('/auth/login')
      .send({ email: 'reserved-claims@example.com', password: PASSWORD });

    expect(response.status).toBe(500);
    expect(response.body).not.toHaveProperty('accessToken');
  });

  it('shows the fields in the administration routes, for a first admin created through AuthService', async () => {
    await app.get(AuthService).register('root@example.com', PASSWORD, ['user', 'admin']);
    const { accessToken } = await logIn('root@example.com');

    const page = await http()
      .get('/auth/admin/users')
      .query({ email: 'ada@' })
      .auth(accessToken, { type: 'bearer' })
      .expect(200);

    expect(page.body.items).toEqual([
      expect.objectContaining({ email: 'ada@example.com', displayName: 'Ada', disabled: false }),
    ]);
  });
});

describe('the registration profile: validated by the host class, with the module rules', () => {
  it.each([
    [
      'a field the class lacks',
      { displayName: 'Eve', admin: true },
      'profile.property admin should not exist',
    ],
    ['a required field left out', { tenant: 'acme' }, 'profile.displayName is required'],
    ['a field of the wrong type', { displayName: 42 }, 'profile.displayName must be a string'],
    [
      'a value the class refuses',
      { displayName: 'Eve', tenant: 'evil' },
      'profile.tenant must be one of',
    ],
    ['no profile at all', undefined, 'profile.displayName is required'],
    ['a profile that is no object', 'Eve', 'profile must be an object'],
  ])('refuses %s with 400 VALIDATION_FAILED naming it', async (_case, profile, message) => {
    const response = await http()
      .post('/auth/register')
      .send({ email: 'eve@example.com', password: PASSWORD, profile });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.message).toEqual(
      expect.arrayContaining([expect.stringContaining(message)]),
    );
  });
});

describe("a host's own second factor, decided at login", () => {
  it('answers its challenge instead of a session, and the host then opens one with two factors', async () => {
    const { id } = await signUp('ops@staff.example', { displayName: 'Ops', tenant: 'acme' });

    const login = await http()
      .post('/auth/login')
      .send({ email: 'ops@staff.example', password: PASSWORD })
      .expect(200);

    expect(login.body).toEqual({ hostChallenge: 'mailed-code', userHint: 'o' });
    // The host checked its mailed code: it opens the session, as strongly authenticated as it was.
    const pair = await app
      .get(AuthService)
      .startSession(id, {}, { methods: ['pwd', 'otp', 'mfa'], level: 'aal2' });
    expect(claimsOf(pair.accessToken)).toMatchObject({ acr: 'aal2', tenant: 'acme' });
  });
});

describe('optional sign-in on @Public() routes', () => {
  let pair: TokenPair;
  let userId: string;

  beforeAll(async () => {
    ({ id: userId } = await signUp('optional@example.com', { displayName: 'Opt' }));
    pair = await logIn('optional@example.com');
  });

  const greeting = (token?: string) => {
    const call = http().get('/host/greeting');
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  it('gives the caller and their claims with a valid token', async () => {
    const response = await greeting(pair.accessToken).expect(200);
    expect(response.body).toEqual({ caller: userId, tenant: 'acme' });
  });

  it('is anonymous without a token', async () => {
    expect((await greeting().expect(200)).body).toEqual({ caller: null, tenant: null });
  });

  it('is anonymous, not refused, with a forged or malformed token, or a refresh token', async () => {
    const forged = `${pair.accessToken.slice(0, -4)}AAAA`;
    for (const token of [forged, 'not-a-token', pair.refreshToken]) {
      expect((await greeting(token).expect(200)).body).toEqual({ caller: null, tenant: null });
    }
  });

  it('is anonymous with the token of a revoked session, and with an expired one', async () => {
    const other = await logIn('optional@example.com');
    await http().post('/auth/logout').auth(other.accessToken, { type: 'bearer' }).expect(204);
    expect((await greeting(other.accessToken).expect(200)).body.caller).toBeNull();

    clock.advanceSeconds(ACCESS_LIFETIME + 1);
    expect((await greeting(pair.accessToken).expect(200)).body.caller).toBeNull();
  });
});

describe('a hooks class that no module provides', () => {
  it('stops the boot naming it', async () => {
    @Injectable()
    class ForgottenHooks implements AuthHooks {}

    await expect(start([ForgottenHooks], new ManualClock(Date.now()))).rejects.toThrow(
      'AuthModule: the hooks extra names ForgottenHooks, which no module provides: list it in your module',
    );
  });
});
