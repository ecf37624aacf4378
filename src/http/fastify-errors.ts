import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_LAYER_MESSAGES, httpLayerError } from './http-errors';

/** Fastify's error codes, and what the client is told for each. */
const MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: HTTP_LAYER_MESSAGES.malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: HTTP_LAYER_MESSAGES.malformedJson,
  FST_ERR_CTP_BODY_TOO_LARGE: HTTP_LAYER_MESSAGES.tooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: HTTP_LAYER_MESSAGES.unsupportedMediaType,
  FST_ERR_BAD_URL: HTTP_LAYER_MESSAGES.malformedUrl,
};

type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * The Fastify adapter of the reference server. Nest installs one error handler for errors raised outside its
 * routes and answers Fastify's own errors with Fastify's `code` and message; every client error (4xx) of Fastify's
 * gets Nest's error shape and this server's message instead, as on Express, and is not logged as an error. Every
 * other error still goes to Nest's handler.
 *
 * The Fastify handler is installed at once, and calls Nest's once Nest gives it: Nest sets its handler after the
 * modules' init, and a route Fastify made before that (Mercurius registers itself during the init, which loads the
 * routes queued so far) would keep Fastify's default handler for good.
 */
export class ReferenceFastifyAdapter extends FastifyAdapter {
  private nestErrorHandler?: ErrorHandler;

  /** `options`: Fastify's server options, as `FastifyAdapter` takes them (its generic overloads do not pass through). */
  constructor(options?: object) {
    super(options as never);
    super.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      if (isFastifyClientError(error)) return answerFastifyClientError(error, reply);
      if (this.nestErrorHandler) return this.nestErrorHandler(error, request, reply);
      // Before Nest's handler is there (during boot), as Fastify would, in Nest's shape.
      return reply.status(500).send(httpLayerError(500, 'Internal server error'));
    });
  }

  override setErrorHandler(handler: ErrorHandler) {
    this.nestErrorHandler = handler;
    return this.getInstance();
  }
}

/**
 * For Fastify's `frameworkErrors` option: errors Fastify meets before routing (a URL whose percent-encoding does not
 * decode), which it would answer itself, naming its error code.
 */
export function fastifyFrameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (isFastifyClientError(error)) {
    void answerFastifyClientError(error, reply);
    return;
  }
  void reply.status(500).send(httpLayerError(500, 'Internal server error'));
}

function isFastifyClientError(error: unknown): error is FastifyError {
  const { code, statusCode = 500 } = (error ?? {}) as Partial<FastifyError>;
  return (
    typeof code === 'string' && code.startsWith('FST_') && statusCode >= 400 && statusCode < 500
  );
}

function answerFastifyClientError(error: FastifyError, reply: FastifyReply): FastifyReply {
  const status = error.statusCode!;
  return reply.status(status).send(httpLayerError(status, MESSAGES[error.code]));
}
