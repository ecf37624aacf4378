import type { NextFunction, Request, Response } from 'express';
import { HTTP_LAYER_MESSAGES, httpLayerError, unreadableBody } from './http-errors';

interface ClientError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/** body-parser's error types, and what the client is told for each. */
const MESSAGES: Record<string, string> = {
  'entity.parse.failed': HTTP_LAYER_MESSAGES.malformedJson,
  'entity.too.large': HTTP_LAYER_MESSAGES.tooLarge,
  'charset.unsupported': HTTP_LAYER_MESSAGES.unsupportedCharset,
  'encoding.unsupported': HTTP_LAYER_MESSAGES.unsupportedEncoding,
};

/**
 * Refuses, before the JSON parser runs, a body that could only be read by inflating it or by decoding a charset
 * other than UTF-8 (see {@link unreadableBody}); Fastify refuses the same with the same answer.
 */
export function refuseUnreadableBodies(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const refusal = unreadableBody(request.headers);
  if (refusal === undefined) {
    next();
    return;
  }
  response.status(refusal.statusCode).json(refusal);
}

/**
 * Express's body parser fails before Nest sees the request, and Express would answer with an HTML page. Every client
 * error (4xx) that reaches here is answered in Nest's error shape with a message of this server's, never the
 * parser's own (a zlib message, say), and is not logged as an error: the request line records it.
 */
export function bodyParserErrors(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  const { status, statusCode, type } = (error ?? {}) as ClientError;
  const code = status ?? statusCode;
  if (typeof code !== 'number' || code < 400 || code >= 500) {
    next(error);
    return;
  }
  response.status(code).json(httpLayerError(code, type === undefined ? undefined : MESSAGES[type]));
}
