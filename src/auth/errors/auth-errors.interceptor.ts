import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  Logger,
  type NestInterceptor,
  ServiceUnavailableException,
  UseInterceptors,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { catchError, type Observable, throwError } from 'rxjs';
import { LogLine } from '../logging/log-line';
import { isDatabaseUnavailable, unavailabilityReason } from './database-unavailable';
import { setResponseHeaders } from './response-headers';

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again shortly';
/** Seconds a client is asked to wait before trying again: about how long a database restart or failover takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * What the module's own route handlers throw, made ready for whatever exception filters the host has (Nest's own
 * by default), without answering in their place:
 * - an error that asks for response headers (`WWW-Authenticate` of an `invalid_token`, `Retry-After` of a failed-
 *   login slowdown) gets them on the response, through the HTTP adapter (Express and Fastify alike);
 * - an error that says the module's database cannot be reached (`isDatabaseUnavailable`) becomes a 503
 *   `ServiceUnavailableException` with `Retry-After`, logged as one warning line (README: Outages), instead of a 500
 *   with a stack trace.
 * Everything else passes untouched. An interceptor, not a filter: a filter would answer itself, ahead of the host's
 * global filters; this rethrows, so a host that formats its errors its own way does so on the module's routes too.
 * Bound to the module's controllers only (`@AuthErrorHandling()`), never installed globally: a host's route that
 * fails on a connection of its own is the host's to answer.
 */
@Injectable()
export class AuthErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('DatabaseUnavailable');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => this.prepare(error, context))));
  }

  private prepare(error: unknown, context: ExecutionContext): unknown {
    const adapter = this.adapterHost.httpAdapter;
    const answer = isDatabaseUnavailable(error) ? this.unavailable(error, context) : error;
    setResponseHeaders(context, answer, adapter);
    return answer;
  }

  private unavailable(error: unknown, context: ExecutionContext): ServiceUnavailableException {
    const adapter = this.adapterHost.httpAdapter;
    const request: unknown =
      context.getType() === 'http' ? context.switchToHttp().getRequest() : undefined;
    const url = request === undefined ? '' : String(adapter?.getRequestUrl?.(request) ?? '');
    this.logger.warn(
      new LogLine('Database unavailable: answered 503', {
        reason: unavailabilityReason(error),
        method: request === undefined ? '' : String(adapter?.getRequestMethod?.(request) ?? ''),
        // The path only: a query string is the client's to keep out of logs.
        path: url.split('?')[0],
      }),
    );
    return Object.assign(
      new ServiceUnavailableException({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        message: DATABASE_UNAVAILABLE_MESSAGE,
        error: 'Service Unavailable',
      }),
      { responseHeaders: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } },
    );
  }
}

/** The module's error handling ({@link AuthErrorsInterceptor}), for its own controllers. */
export function AuthErrorHandling(): ClassDecorator & MethodDecorator {
  return UseInterceptors(AuthErrorsInterceptor);
}
