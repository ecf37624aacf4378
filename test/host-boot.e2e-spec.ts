import type { DynamicModule } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AuthModule, type AuthModuleOptions } from '../src/auth';
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
