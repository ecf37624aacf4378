import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { redactUrl } from './redact-url';

const CENSOR = '[redacted]';

/**
 * Wherever a secret could sit in an object given to the logger: it never gets written (docs/operations.md, Outages, and docs/security-decisions.md). The
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
      serializers: { req: requestSummary, res: responseSummary, err: errorSummary },
      // A client's error is the client's: at info like any answer, so that no client can fill the error log.
      customLogLevel: (_request, response, error) =>
        response.statusCode >= 500 || (error !== undefined && response.statusCode < 400)
          ? 'error'
          : 'info',
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
  // The URL as sent, but no query-string value a client may have put a token or a password into.
  return { id, method, url: redactUrl(url), remoteAddress };
}

/**
 * An error on a request's log line: its type only. Its message may quote what the client sent, and its stack is
 * noise for a client's error; a server fault (5xx) is logged in full, once, by Nest's exception handler.
 */
function errorSummary(error: { name?: unknown; type?: unknown }) {
  return { type: error.type ?? error.name };
}

/** The response as its log line shows it: its status (the response time is a field of the line). */
function responseSummary(response: { statusCode: number }) {
  return { statusCode: response.statusCode };
}
