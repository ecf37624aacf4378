import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { httpLayerError } from './http-errors';

/**
 * Matches, as `instanceof` does, a client error (4xx) that is not a Nest `HttpException`: an http-errors error
 * (body-parser, Express), a Fastify error, any error with a 4xx `status`/`statusCode`. What `@Catch()` needs to
 * pick these and nothing else, so that the module's own filters of `HttpException` keep working.
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
 * Nest's exception handler answers such an error with its own message (a parser's, a library's) and logs it at error
 * level with its stack: any client could fill the error log. This answers it in Nest's shape with a status text and
 * logs nothing (the request line records the status).
 */
@Catch(ForeignClientError)
export class ClientErrorsFilter extends BaseExceptionFilter {
  override catch(exception: Error, host: ArgumentsHost): void {
    const { status, statusCode } = exception as { status?: number; statusCode?: number };
    const code = status ?? statusCode ?? 400;
    super.catch(new HttpException(httpLayerError(code), code), host);
  }
}
