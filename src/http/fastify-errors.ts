import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

const MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Media Type',
};

type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * The Fastify adapter of the reference server. Nest installs one error handler for errors raised outside its
 * routes and answers Fastify's body-parser errors as `{ statusCode, message }`; these get Nest's full error shape
 * (`error` too) and the same messages as on Express. Every other error still goes to Nest's handler.
 */
export class ReferenceFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: ErrorHandler) {
    return super.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
      isBodyParserError(error)
        ? answerBodyParserError(error, reply)
        : handler(error, request, reply),
    );
  }
}

function isBodyParserError(error: unknown): error is FastifyError {
  const { code, statusCode = 500 } = (error ?? {}) as Partial<FastifyError>;
  return (
    typeof code === 'string' &&
    code.startsWith('FST_ERR_CTP') &&
    statusCode >= 400 &&
    statusCode < 500
  );
}

function answerBodyParserError(error: FastifyError, reply: FastifyReply): FastifyReply {
  const status = error.statusCode!;
  const statusText = STATUS_TEXT[status] ?? 'Bad Request';
  return reply
    .status(status)
    .send({ statusCode: status, message: MESSAGES[error.code] ?? statusText, error: statusText });
}
