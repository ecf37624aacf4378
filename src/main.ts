import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:net';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { databaseErrorAdvice } from './auth/adapters/typeorm';
import { configureApp } from './app.setup';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { boundUrl } from './http/bound-url';
import { createHttpAdapter, tlsOptions } from './http/http-adapter';

async function bootstrap(): Promise<void> {
  const { config, warnings } = loadConfigOrExit();
  const app = await NestFactory.create(AppModule.forRoot(config), createHttpAdapter(config), {
    bufferLogs: true,
    bodyParser: false,
    // Let a failed boot reach the handler below (one clear line) instead of Nest's abort with a stack dump; the
    // buffered logs are kept from the console then (Nest's ExceptionHandler would print the error's whole dump),
    // and flushed to the app's logger once it is set.
    abortOnError: false,
    autoFlushLogs: false,
    // Express makes its HTTPS server from these; Fastify ignores them (it took TLS in its adapter).
    httpsOptions: tlsOptions(config),
  });
  configureApp(app, config);
  const logger = app.get(Logger);
  for (const warning of warnings) logger.warn(warning);
  app.flushLogs();
  await app.listen(config.port, config.host);
  // The socket's own address: Nest's getUrl() says 127.0.0.1 for a server bound to 0.0.0.0.
  const url = boundUrl((app.getHttpServer() as Server).address(), config.tls !== undefined);
  logger.log(`Listening on ${url} (${config.nodeEnv}, ${describeDatabase(config.databaseUrl)})`);
}

function loadConfigOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** The database kind and place, never its credentials. */
function describeDatabase(url: string): string {
  return url.startsWith('sqlite:') ? url : url.replace(/\/\/[^@]*@/, '//');
}

bootstrap().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message || error.name : String(error);
  const advice = databaseErrorAdvice(error);
  const hint =
    advice !== undefined
      ? ` ${advice}.`
      : /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|database|password authentication/i.test(reason)
        ? ' Check that the database named by DATABASE_URL is running and reachable.'
        : '';
  console.error(`Failed to start: ${reason}.${hint}`);
  process.exit(1);
});
