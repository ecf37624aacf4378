import { type INestApplication, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { InputDepthPipe } from './auth/settings';
import type { Server } from 'node:http';
import type { AppConfig } from './config/app-config';
import { ErrorCodesFilter } from './http/error-codes.filter';
import { configureHttpAdapter } from './http/http-adapter';

/**
 * Everything the reference server adds around its modules, on either HTTP adapter; shared by `main.ts` and the e2e
 * suites. Call before `app.init()` / `app.listen()`.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  configureHttpAdapter(app, config);
  boundRequestTimes(app.getHttpServer() as Server);
  app.useGlobalFilters(new ErrorCodesFilter(app.getHttpAdapter()));
  app.useGlobalPipes(...globalPipes());
  setUpOpenApi(app);
  app.enableShutdownHooks();
}

/**
 * How long a client may take to send a request's headers, and the whole request (headers and body), in ms: past
 * either, Node answers 408 and closes the connection, so a client trickling bytes holds no connection for long. Node
 * checks them every 30 s (`connectionsCheckingInterval`), so a request may outlive them by that much.
 */
export const HTTP_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000 } as const;

/** Applies {@link HTTP_TIMEOUTS} to the server of either adapter (both serve on a Node `http.Server`). */
function boundRequestTimes(server: Server): void {
  server.headersTimeout = HTTP_TIMEOUTS.headersMs;
  server.requestTimeout = HTTP_TIMEOUTS.requestMs;
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
