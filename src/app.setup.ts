import { type INestApplication, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { InputDepthPipe } from './auth/settings';
import type { Server } from 'node:http';
import type { AppConfig } from './config/app-config';
import { ErrorCodesFilter } from './http/error-codes.filter';
import { configureHttpAdapter } from './http/http-adapter';
import { budgetFastifyWebSockets } from './realtime/websocket-budget.wiring';

/**
 * Everything the reference server adds around its modules, on either HTTP adapter; shared by `main.ts` and the e2e
 * suites. Call before `app.init()` / `app.listen()`.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  configureHttpAdapter(app, config);
  boundRequestTimes(app.getHttpServer() as Server, config.connections);
  budgetFastifyWebSockets(app, config);
  app.useGlobalFilters(new ErrorCodesFilter(app.getHttpAdapter()));
  app.useGlobalPipes(...globalPipes());
  setUpOpenApi(app);
  app.enableShutdownHooks();
}

/**
 * Bounds how long a client may take to send a request's headers (`HTTP_HEADERS_TIMEOUT`, default 10 s) and the
 * whole request, body included (`HTTP_REQUEST_TIMEOUT`, default 30 s), on the server of either adapter (both serve
 * on a Node `http.Server`): past either, Node answers 408 and closes the connection, so a client trickling bytes
 * holds no connection for long. Node checks them every `connectionsCheckingInterval` (30 s by default, read when
 * the server starts listening): a quarter of the headers' timeout here, so a request outlives them by at most that.
 */
function boundRequestTimes(server: Server, limits: AppConfig['connections']): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  // A property of every http.Server (its constructor's option of that name), untyped in @types/node.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.max(Math.min(Math.floor(limits.headersTimeoutMs / 4), 30_000), 25);
}

/**
 * The reference server's global pipes, for routes of its own: input nested too deep is refused before the
 * ValidationPipe walks it. The auth module's routes validate their input with the module's own pipes (depth,
 * prototype keys, unknown fields, types) whatever these are.
 */
export function globalPipes(): PipeTransform[] {
  return [
    new InputDepthPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  ];
}

/**
 * The OpenAPI document at /docs and /docs-json, built on its first request (swagger caches it then), not at boot:
 * scanning every route and DTO is boot time that no request before the first look at the docs needs.
 */
function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('nest-auth')
    .setDescription(
      'JWT access tokens, rotating refresh tokens with reuse detection, server-side sessions',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
  });
}
