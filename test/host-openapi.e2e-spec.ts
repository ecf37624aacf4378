import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiTags, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { accountMail, administration, AuthModule, markGuardedRoutes, Public } from '../src/auth';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { HOST_AUTH_OPTIONS } from './host-app/host-app.module';

/** A host's OpenAPI document with the module in it: what a host gets from SwaggerModule.createDocument. */
const E2E_HTTP_ADAPTER =
  (globalThis as { E2E_HTTP_ADAPTER?: string }).E2E_HTTP_ADAPTER ?? 'express';

@ApiTags('admin')
@Controller('backoffice')
class HostAdminController {
  @Get('reports')
  reports(): string[] {
    return [];
  }

  @Public()
  @Get('status')
  status(): string {
    return 'ok';
  }
}

@Module({
  imports: [
    AuthModule.forRoot({
      ...HOST_AUTH_OPTIONS,
      userStore: new InMemoryUserStore(),
      sessionStore: new InMemorySessionStore(),
      typeorm: false,
      features: [accountMail({ mailWorker: { pollInterval: 0 } }), administration()],
    }),
  ],
  controllers: [HostAdminController],
})
class HostModule {}

type Operation = { security?: Record<string, string[]>[]; tags?: string[] };

/** Every operation of `document`, as `METHOD path`. */
function operations(document: OpenAPIObject): Map<string, Operation> {
  const all = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      all.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return all;
}

let app: INestApplication;
let document: OpenAPIObject;

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
  app = moduleRef.createNestApplication(
    E2E_HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
    { logger: false },
  );
  await app.init();
  // The one line the README gives a host: mark its own guarded routes, then build the document.
  markGuardedRoutes(app);
  document = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build());
});

afterAll(() => app.close());

describe("a host's OpenAPI document", () => {
  it('lists no security requirement twice on any route', () => {
    for (const [route, operation] of operations(document)) {
      const requirements = (operation.security ?? []).map((entry) => JSON.stringify(entry));
      expect({ route, requirements }).toEqual({ route, requirements: [...new Set(requirements)] });
    }
  });

  it("marks the module's guarded routes and the host's own guarded route with the bearer scheme", () => {
    const all = operations(document);
    for (const route of [
      'GET /auth/me',
      'GET /auth/sessions',
      'DELETE /auth/sessions/{id}',
      'POST /auth/password',
      'GET /auth/admin/users',
      'GET /backoffice/reports',
    ]) {
      expect({ route, security: all.get(route)?.security }).toEqual({
        route,
        security: [{ bearer: [] }],
      });
    }
  });

  it("leaves public routes, the host's and the module's, without a requirement", () => {
    const all = operations(document);
    for (const route of ['GET /backoffice/status', 'POST /auth/login', 'POST /auth/register']) {
      expect({ route, security: all.get(route)?.security }).toEqual({ route, security: undefined });
    }
  });

  it("keeps the host's tag to the host's routes: the module's administration is tagged under its own", () => {
    const all = operations(document);
    expect(all.get('GET /backoffice/reports')?.tags).toEqual(['admin']);
    expect(all.get('GET /auth/admin/users')?.tags).toEqual(['auth admin']);
    expect(all.get('POST /auth/login')?.tags).toEqual(['auth']);
    expect(all.get('POST /auth/password/forgot')?.tags).toEqual(['auth']);
  });
});

describe('the openApiTag extra', () => {
  it("renames the module's tags", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRoot({
          ...HOST_AUTH_OPTIONS,
          userStore: new InMemoryUserStore(),
          sessionStore: new InMemorySessionStore(),
          typeorm: false,
          openApiTag: 'identity',
          features: [administration()],
        }),
      ],
    }).compile();
    const other = moduleRef.createNestApplication(new ExpressAdapter(), { logger: false });
    await other.init();
    const all = operations(SwaggerModule.createDocument(other, new DocumentBuilder().build()));
    await other.close();

    expect(all.get('POST /auth/login')?.tags).toEqual(['identity']);
    expect(all.get('GET /auth/admin/users')?.tags).toEqual(['identity admin']);
  });
});
