import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Optional peers load only when used (CONTRACT §5, docs/configuration.md: Features): the package entry loads no GraphQL, socket.io,
 * TypeORM, ioredis or nodemailer, nor does the `realtime` subpath (it reads their objects by shape); a host with
 * stores and a mailer of its own runs with none of them installed (nor `@nestjs/swagger`), and a host that asks for
 * the built-in TypeORM stores without TypeORM gets one line saying what to install. Checked on the built package
 * (`npm run build` first), in fresh Node processes.
 */
const ROOT = resolve(__dirname, '..');
const OPTIONAL_PEERS =
  /node_modules\/(graphql|graphql-ws|@nestjs\/graphql|@nestjs\/apollo|@nestjs\/mercurius|@nestjs\/websockets|@nestjs\/platform-socket\.io|socket\.io|engine\.io|mercurius|@apollo\/server|ws|typeorm|@nestjs\/typeorm|ioredis|nodemailer)\//;

/** A resolve hook that makes these packages unresolvable, as in a host that never installed them. */
const WITHOUT_PEERS = `
  const { registerHooks } = require('node:module');
  const HIDDEN = /^(typeorm|@nestjs\\/typeorm|ioredis|nodemailer|@nestjs\\/swagger)(\\/|$)/;
  registerHooks({
    resolve(specifier, context, next) {
      if (HIDDEN.test(specifier)) {
        throw Object.assign(new Error("Cannot find module '" + specifier + "'"), { code: 'MODULE_NOT_FOUND' });
      }
      return next(specifier, context);
    },
  });
`;

/**
 * A host app in a process where TypeORM, ioredis, nodemailer and @nestjs/swagger cannot be resolved: `stores` says
 * which stores it gives (`own`: in-memory user and session stores, a mailer of its own; `default`: none, so the
 * module needs its TypeORM stores). Prints what registering, logging in and `/auth/me` answered, or the boot error.
 */
function hostWithoutPeers(stores: 'own' | 'default'): string {
  return `${WITHOUT_PEERS}
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const auth = require('./dist/auth/index.js');
  const { InMemorySessionStore, InMemoryUserStore } = require('./dist/auth/testing/index.js');
  const own = ${JSON.stringify(stores === 'own')};
  const options = {
    jwtSecret: 'host-access-secret-0123456789abcdefghijklmnop',
    jwtRefreshSecret: 'host-refresh-secret-0123456789abcdefghijklmnop',
    bcryptRounds: 4,
    allowWeakSettings: true,
    ...(own ? { userStore: new InMemoryUserStore(), sessionStore: new InMemorySessionStore(), typeorm: false } : {}),
    features: [
      auth.accountMail({ mailer: { send: () => Promise.resolve() }, mailWorker: { pollInterval: 0 } }),
      auth.administration(),
      auth.jwks(),
    ],
  };
  (async () => {
    let app;
    try {
      class Host {}
      Module({ imports: [auth.AuthModule.forRoot(options)] })(Host);
      app = await NestFactory.create(Host, { logger: false });
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      process.stdout.write(JSON.stringify({ bootError: error.message }));
      return;
    }
    const base = await app.getUrl();
    const post = (path, body) => fetch(base + path, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const credentials = { email: 'ada@example.com', password: 'correct horse battery' };
    const registered = await post('/auth/register', credentials);
    const login = await post('/auth/login', credentials);
    const { accessToken } = await login.json();
    const me = await fetch(base + '/auth/me', { headers: { authorization: 'Bearer ' + accessToken } });
    process.stdout.write(JSON.stringify({
      register: registered.status, login: login.status, me: me.status, email: (await me.json()).email,
    }));
    await app.close();
  })();
`;
}

async function run(script: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT });
  return JSON.parse(stdout) as unknown;
}

async function modulesLoadedBy(entry: string): Promise<string[]> {
  const script = `
    const { registerHooks } = require('node:module');
    const seen = [];
    registerHooks({
      resolve(specifier, context, next) {
        const resolved = next(specifier, context);
        seen.push(resolved.url);
        return resolved;
      },
    });
    require(${JSON.stringify(entry)});
    process.stdout.write(JSON.stringify(seen));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT });
  return JSON.parse(stdout) as string[];
}

describe('optional peers', () => {
  it.each([
    ['the package entry', 'dist/auth/index.js'],
    ['the realtime subpath', 'dist/auth/features/realtime/index.js'],
  ])('%s loads no GraphQL or WebSocket package', async (_name, entry) => {
    const loaded = await modulesLoadedBy(resolve(ROOT, entry));

    expect(loaded.some((url) => url.includes('/@nestjs/common/'))).toBe(true);
    expect(loaded.filter((url) => OPTIONAL_PEERS.test(url))).toEqual([]);
  });

  it("the package entry loads no feature's routes, services or guards, nor @nestjs/throttler, until a host registers the feature", async () => {
    const loaded = await modulesLoadedBy(resolve(ROOT, 'dist/auth/index.js'));
    const featureCode = /dist\/auth\/features\/[\w-]+\/[\w.-]+\.(controller|service|guard)\.js$/;

    // The factories are there (the entry exports them), with their options.
    expect(loaded.some((url) => url.endsWith('/features/mfa/mfa.feature.js'))).toBe(true);
    expect(
      loaded.filter((url) => featureCode.test(url) || url.includes('/@nestjs/throttler/')),
    ).toEqual([]);
  });

  it("loads a feature's parts when the host registers it", async () => {
    const script = `
      const auth = require('./dist/auth/index.js');
      const before = Object.keys(require.cache).filter((file) => file.includes('/@nestjs/throttler/')).length;
      const feature = auth.throttling();
      feature.parts({ typeorm: false, routePrefix: 'auth' });
      const after = Object.keys(require.cache).filter((file) => file.includes('/@nestjs/throttler/')).length;
      process.stdout.write(JSON.stringify({ before, after: after > 0 }));
    `;
    expect(await run(script)).toEqual({ before: 0, after: true });
  });

  it('lets a host with stores and a mailer of its own run with no TypeORM, ioredis, nodemailer or Swagger', async () => {
    expect(await run(hostWithoutPeers('own'))).toEqual({
      register: 201,
      login: 200,
      me: 200,
      email: 'ada@example.com',
    });
  });

  it('tells a host that wants the built-in stores without TypeORM what to install, in one line', async () => {
    expect(await run(hostWithoutPeers('default'))).toEqual({
      bootError:
        'AuthModule: @nestjs/typeorm is not installed but is needed for the built-in TypeORM stores: npm install typeorm ' +
        '@nestjs/typeorm; or give userStore and sessionStore of your own, with typeorm: false',
    });
  });
});
