// A minimal Nest app, as a Nest developer would write one, in one of four kinds, on the built `dist/` (plain
// CommonJS with Nest's decorators applied by hand, so that it needs no compiler):
//   - bare:     GET /public and GET /protected, no guard at all (the baseline of RSS).
//   - recipe:   the NestJS docs' JWT recipe (Security > Authentication): `JwtModule.register({ global: true, secret })`
//               and a global guard that skips `@Public()` routes (Reflector) and calls `jwtService.verifyAsync(token,
//               { secret })` on the `Authorization: Bearer` token, `request.user` the payload.
//   - module:   this package with no feature (`features: []`) on TypeORM + SQLite (the embedded default), its global
//               guard; GET /protected answers `@CurrentUser()`, GET /protected/step-up is the same under
//               `@RequireAuth({ maxAge: 86400 })` (a step-up check every fresh token passes).
//   - core:     as `module`, for the footprint figure (the same app; named apart in the bench's output).
// BENCH_MODULE_LIST=<file>: once listening, the files in `require.cache` are written there as a JSON array.
// Every route answers a small JSON object, the same shape in every kind. Prints "Listening on <url>" when up.
//
// Environment: HOST_KIND, HTTP_ADAPTER (express | fastify), JWT_SECRET, JWT_REFRESH_SECRET, DATABASE_FILE (module).

'use strict';

const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const kind = process.env.HOST_KIND ?? 'bare';
const adapterName = process.env.HTTP_ADAPTER ?? 'express';

// HIDE_PACKAGES=a,b: those packages resolve as not installed, as in a host that did not install an optional peer
// (the core-only host without @nestjs/swagger: it uses no OpenAPI, so it has no reason to install it).
if (process.env.HIDE_PACKAGES) {
  const Module = require('node:module');
  const hidden = process.env.HIDE_PACKAGES.split(',');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (hidden.some((name) => request === name || request.startsWith(`${name}/`))) {
      const error = new Error(`Cannot find module '${request}'`);
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    return resolve.call(this, request, ...rest);
  };
}

require('reflect-metadata');
const common = require('@nestjs/common');
const { NestFactory, Reflector, APP_GUARD } = require('@nestjs/core');

/** Applies decorators to a method, as TypeScript's emitted `__decorate` does. */
function decorateMethod(target, name, decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  for (const decorator of [...decorators].reverse()) decorator(target.prototype, name, descriptor);
}

/** A controller with GET /public and GET /protected: `user` reads the caller the kind's guard left. */
function makeController({ publicDecorator, userParam, stepUp, userOf = (user) => user }) {
  class BenchController {
    getPublic() {
      return { message: 'public' };
    }
    getProtected(argument) {
      const user = userOf(argument);
      return { message: 'protected', sub: user?.id ?? user?.sub };
    }
    getStepUp(argument) {
      const user = userOf(argument);
      return { message: 'step-up', sub: user?.id ?? user?.sub };
    }
  }
  common.Controller()(BenchController);
  decorateMethod(BenchController, 'getPublic', [
    ...(publicDecorator ? [publicDecorator()] : []),
    common.Get('public'),
  ]);
  decorateMethod(BenchController, 'getProtected', [common.Get('protected')]);
  if (userParam) userParam(BenchController.prototype, 'getProtected', 0);
  if (stepUp) {
    decorateMethod(BenchController, 'getStepUp', [stepUp, common.Get('protected/step-up')]);
    userParam(BenchController.prototype, 'getStepUp', 0);
  }
  return BenchController;
}

function bareModule() {
  class BareModule {}
  common.Module({ controllers: [makeController({})] })(BareModule);
  return BareModule;
}

/** The docs' recipe, verbatim in substance: Reflector for `@Public()`, `verifyAsync` per request. */
function recipeModule() {
  const { JwtModule, JwtService } = require('@nestjs/jwt');
  const IS_PUBLIC_KEY = 'isPublic';
  const Public = () => common.SetMetadata(IS_PUBLIC_KEY, true);
  const secret = process.env.JWT_SECRET;

  class AuthGuard {
    constructor(jwtService, reflector) {
      this.jwtService = jwtService;
      this.reflector = reflector;
    }
    async canActivate(context) {
      const isPublic = this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [
        context.getHandler(),
        context.getClass(),
      ]);
      if (isPublic) return true;
      const request = context.switchToHttp().getRequest();
      const token = this.extractTokenFromHeader(request);
      if (!token) throw new common.UnauthorizedException();
      try {
        request['user'] = await this.jwtService.verifyAsync(token, { secret });
      } catch {
        throw new common.UnauthorizedException();
      }
      return true;
    }
    extractTokenFromHeader(request) {
      const [type, token] = request.headers.authorization?.split(' ') ?? [];
      return type === 'Bearer' ? token : undefined;
    }
  }
  common.Injectable()(AuthGuard);
  common.Inject(JwtService)(AuthGuard, undefined, 0);
  common.Inject(Reflector)(AuthGuard, undefined, 1);

  // The handler takes the request and reads `user` off it, as the recipe's profile route does.
  const controller = makeController({
    publicDecorator: Public,
    userParam: common.Req(),
    userOf: (request) => request.user,
  });

  class RecipeModule {}
  common.Module({
    imports: [JwtModule.register({ global: true, secret, signOptions: { expiresIn: '60s' } })],
    controllers: [controller],
    providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
  })(RecipeModule);
  return RecipeModule;
}

function authModule() {
  const { TypeOrmModule } = require('@nestjs/typeorm');
  const auth = require(join(ROOT, 'dist/auth/index.js'));
  const { authEntities, authMigrations } = require(
    join(ROOT, 'dist/auth/adapters/typeorm/index.js'),
  );
  const features = [];
  const controller = makeController({
    publicDecorator: auth.Public,
    userParam: auth.CurrentUser(),
    stepUp: auth.RequireAuth({ maxAge: 86_400 }),
  });
  class AppModule {}
  common.Module({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: process.env.DATABASE_FILE,
        enableWAL: true,
        entities: [...authEntities(features)],
        migrations: [...authMigrations(features)],
        migrationsRun: true,
      }),
      auth.AuthModule.forRoot({
        jwtSecret: process.env.JWT_SECRET,
        jwtRefreshSecret: process.env.JWT_REFRESH_SECRET,
        bcryptRounds: 10,
        pruneInterval: 0,
        features,
      }),
    ],
    controllers: [controller],
  })(AppModule);
  return AppModule;
}

async function main() {
  const module = kind === 'recipe' ? recipeModule() : kind === 'bare' ? bareModule() : authModule();
  let adapter;
  if (adapterName === 'fastify') {
    const { FastifyAdapter } = require('@nestjs/platform-fastify');
    adapter = new FastifyAdapter();
  }
  const app = adapter
    ? await NestFactory.create(module, adapter, { logger: ['error', 'warn'] })
    : await NestFactory.create(module, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  process.stdout.write(`Listening on http://127.0.0.1:${port}\n`);
  if (process.env.BENCH_MODULE_LIST) {
    // The modules in memory, for the footprint check: which of the heavy libraries a host loaded.
    require('node:fs').writeFileSync(
      process.env.BENCH_MODULE_LIST,
      JSON.stringify(Object.keys(require.cache)),
    );
  }
  process.once('SIGTERM', () => {
    app.close().then(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
