import {
  type ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  IntrinsicException,
  Logger,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { httpLayerCode, httpLayerError } from './http-errors';

/**
 * Matches, as `instanceof` does, a client error (4xx) that is not a Nest `HttpException`: an http-errors error
 * (body-parser, Express), a Fastify error, any error with a 4xx `status`/`statusCode`.
 */
export class ForeignClientError {
  static [Symbol.hasInstance](value: unknown): boolean {
    if (!(value instanceof Error) || value instanceof HttpException) return false;
    const { status, statusCode } = value as { status?: unknown; statusCode?: unknown };
    const code = typeof status === 'number' ? status : statusCode;
    return typeof code === 'number' && code >= 400 && code < 500;
  }
}

/**
 * The reference server's global filter: every HTTP error body carries a `code` (docs/errors.md), on either adapter.
 * - An HttpException whose body has a `code` (the auth module's answers) is answered as it is; one without (Nest's
 *   404 of a route that does not exist, the global ValidationPipe's 400, a demo route's own) gets the code of its
 *   status (`NOT_FOUND`, `VALIDATION_FAILED`, …), its body otherwise unchanged.
 * - A client error that is not an HttpException (a parser's, a library's) is answered in Nest's shape with a status
 *   text and no log line: Nest would answer with its message and log it at error level with its stack, and any
 *   client could fill the error log.
 * - Anything else is a fault of the server: logged as Nest logs it, answered 500 `INTERNAL_ERROR` with a message
 *   that names nothing of it.
 * Outside HTTP (a GraphQL resolver) the error is handed back to that context's own handling, untouched.
 */
@Catch()
export class ErrorCodesFilter extends BaseExceptionFilter {
  private readonly faults = new Logger('ExceptionsHandler');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    super.catch(this.withCode(exception), host);
    return undefined;
  }

  private withCode(exception: unknown): HttpException {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (typeof body === 'object' && 'code' in body) return exception;
      const status = exception.getStatus();
      const fields = typeof body === 'object' ? body : { statusCode: status, message: body };
      return new HttpException({ ...fields, code: httpLayerCode(status) }, status, {
        cause: exception,
      });
    }
    if (exception instanceof ForeignClientError) {
      const { status, statusCode } = exception as { status?: number; statusCode?: number };
      const code = status ?? statusCode ?? HttpStatus.BAD_REQUEST;
      return new HttpException(httpLayerError(code), code);
    }
    if (!(exception instanceof IntrinsicException)) this.faults.error(exception);
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return new HttpException(httpLayerError(status, 'Internal server error'), status);
  }
}
