import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const CENSOR = '[redacted]';

/** Wherever a secret could sit in a log line: it never gets written (CONTRACT.md §4.11). */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

/** Structured JSON logs (nestjs-pino), one line per request. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      // Health probes every few seconds would drown the rest.
      autoLogging: { ignore: (request) => request.url === '/health' },
    },
    // Fastify needs the explicit catch-all route, or no request gets logged.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
  };
}
