import type { DynamicModule } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { accountMail, AuthModule, type AuthModuleOptions } from '../src/auth';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';

/** The HTTP adapter of this run: test/jest-e2e.config.js runs every suite once per adapter. */
const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';

/** Boots a host app importing `auth` on this run's adapter, and closes it; rejects with what stopped the boot. */
async function boot(auth: DynamicModule): Promise<void> {
  const moduleRef = await Test.createTestingModule({ imports: [auth] }).compile();
  const adapter = E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, { logger: false });
  await app.init();
  await app.close();
}

/** Options of a host without TypeORM: its own stores. */
function ownStores(): AuthModuleOptions {
  return {
    ...HOST_AUTH_OPTIONS,
    userStore: new InMemoryUserStore(),
    sessionStore: new InMemorySessionStore(),
  };
}

describe('booting a host whose AuthModule options would be ignored silently', () => {
  it('boots with the extras beside useFactory', async () => {
    await expect(
      boot(
        AuthModule.forRootAsync({
          typeorm: false,
          routePrefix: 'identity',
          useFactory: ownStores,
        }),
      ),
    ).resolves.toBeUndefined();
  });

  it('fails with one line naming routePrefix when useFactory returns it', async () => {
    const module = AuthModule.forRootAsync({
      typeorm: false,
      useFactory: () => ({ ...ownStores(), routePrefix: 'identity' }) as AuthModuleOptions,
    });

    await expect(boot(module)).rejects.toThrow(
      /^Invalid AuthModule options: routePrefix is an extra of AuthModule\.forRootAsync: give it beside useFactory, not in what useFactory returns$/,
    );
  });

  it('fails with one line naming a typo given to forRoot', async () => {
    const module = AuthModule.forRoot({
      ...ownStores(),
      typeorm: false,
      jwtExpiresIn: 60,
    } as AuthModuleOptions);

    await expect(boot(module)).rejects.toThrow(
      /^Invalid AuthModule options: jwtExpiresIn is not an option of AuthModule \(did you mean jwtExpiration\?\)$/,
    );
  });
});

describe('booting a host in production with account mail', () => {
  /** A production host (strong settings, its own stores) whose only feature is `mail`. */
  function production(mail: ReturnType<typeof accountMail>): DynamicModule {
    return AuthModule.forRoot({
      ...ownStores(),
      allowWeakSettings: false,
      bcryptRounds: 10,
      production: true,
      typeorm: false,
      features: [mail],
    });
  }

  it('refuses to start, in one line, when mail would only be written to files', async () => {
    await expect(boot(production(accountMail()))).rejects.toThrow(
      /^accountMail: production needs a mail transport: give accountMail\(\{ smtpUrl \}\) or a mailer \(or allowFileMailInProduction: true to keep writing \.eml files\)$/,
    );
  });

  it('starts when the host opts in to file mail explicitly', async () => {
    await expect(
      boot(production(accountMail({ allowFileMailInProduction: true }))),
    ).resolves.toBeUndefined();
  });

  it('starts with an SMTP transport or a mailer of its own', async () => {
    await expect(
      boot(production(accountMail({ smtpUrl: 'smtp://127.0.0.1:2525' }))),
    ).resolves.toBeUndefined();
    await expect(
      boot(production(accountMail({ mailer: { send: () => Promise.resolve() } }))),
    ).resolves.toBeUndefined();
  });

  it('writes files outside production, as before', async () => {
    await expect(
      boot(AuthModule.forRoot({ ...ownStores(), typeorm: false, features: [accountMail()] })),
    ).resolves.toBeUndefined();
  });

  it('is in production under NODE_ENV=production when the host does not say', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        boot(
          AuthModule.forRoot({
            ...ownStores(),
            allowWeakSettings: false,
            bcryptRounds: 10,
            typeorm: false,
            features: [accountMail()],
          }),
        ),
      ).rejects.toThrow(/^accountMail: production needs a mail transport/);
      // Stated otherwise, the host's word wins.
      await expect(
        boot(
          AuthModule.forRoot({
            ...ownStores(),
            production: false,
            typeorm: false,
            features: [accountMail()],
          }),
        ),
      ).resolves.toBeUndefined();
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  it('refuses allowWeakSettings in production', async () => {
    await expect(
      boot(AuthModule.forRoot({ ...ownStores(), production: true, typeorm: false, features: [] })),
    ).rejects.toThrow(/allowWeakSettings is for development and tests: leave it out in production/);
  });
});

describe('booting a host that uses the built-in stores without a data source', () => {
  const MISSING =
    /^AuthModule: the built-in TypeORM stores need the app's data source: add TypeOrmModule\.forRoot\(\{ \.\.\. \}\) \(or forRootAsync\) to your app module's imports, or give userStore and sessionStore of your own with the typeorm extra set to false$/;

  it.each([
    ['both built-in stores and every feature', { ...HOST_AUTH_OPTIONS }],
    ['both built-in stores and no feature', { ...HOST_AUTH_OPTIONS, features: [] }],
    [
      'the built-in user store alone',
      { ...HOST_AUTH_OPTIONS, sessionStore: new InMemorySessionStore(), features: [] },
    ],
    [
      'the built-in session store alone',
      { ...HOST_AUTH_OPTIONS, userStore: new InMemoryUserStore(), features: [] },
    ],
  ])('fails with one line saying to add TypeOrmModule.forRoot: %s', async (_name, options) => {
    await expect(boot(AuthModule.forRoot(options))).rejects.toThrow(MISSING);
  });
});
