import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const CENSOR = '[redacted]';

/**
 * Wherever a secret could sit in an object given to the logger: it never gets written (CONTRACT.md §4.11). The
 * request line itself holds no headers at all (see {@link requestSummary}).
 */
const REDACTED_PATHS = [
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
      serializers: { req: requestSummary, res: responseSummary },
      // Health probes every few seconds would drown the rest.
      autoLogging: { ignore: (request) => request.url === '/health' },
    },
    // Fastify needs the explicit catch-all route, or no request gets logged.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
  };
}

/**
 * The request as its log line shows it: pino's standard serializer would add every header, where the bearer token
 * and the refresh cookie travel (redacted, but serialized and scanned on every request all the same).
 */
function requestSummary(request: {
  id: unknown;
  method: string;
  url: string;
  remoteAddress?: string;
}) {
  const { id, method, url, remoteAddress } = request;
  return { id, method, url, remoteAddress };
}

/** The response as its log line shows it: its status (the response time is a field of the line). */
function responseSummary(response: { statusCode: number }) {
  return { statusCode: response.statusCode };
}
