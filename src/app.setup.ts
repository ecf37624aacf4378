import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from './config/app-config';
import { bodyParserErrors } from './http/body-parser-errors';
import { forbidPrototypeKeys } from './http/forbid-prototype-keys';

/** JSON bodies over this are refused with 413 (CONTRACT.md §4.10): no auth request needs more. */
export const BODY_LIMIT = '16kb';

/** Everything the reference server adds around its modules; shared by `main.ts` and the e2e suites. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  app.useLogger(app.get(Logger));
  express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  // First, so that every response carries the security headers, errors of the body parser included.
  app.use(helmet({ strictTransportSecurity: config.tls !== undefined }));
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.use(bodyParserErrors);
  express.use(forbidPrototypeKeys);
  if (config.corsOrigins.length > 0)
    app.enableCors({ origin: config.corsOrigins, credentials: true });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  setUpOpenApi(app);
  app.enableShutdownHooks();
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('nest-auth')
      .setDescription(
        'JWT access tokens, rotating refresh tokens with reuse detection, server-side sessions',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
