import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { catchError, type Observable, throwError } from 'rxjs';
import { LogLine } from '../../core/logging/log-line';
import { AuthError } from '../../core/errors/auth-error';
import { isDatabaseUnavailable, unavailabilityReason } from './database-unavailable';
import { toGraphQLRefusal } from '../../contexts/graphql-refusal';
import { setResponseHeaders } from './response-headers';
import { toHttpException } from './to-http-exception';

/** Seconds a client is asked to wait before trying again: about how long a database restart or failover takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The module's errors thrown by a handler (and its pipes), translated for the handler's face, for whatever
 * exception filters the host has (Nest's own by default) to answer:
 * - an {@link AuthError} becomes, over HTTP, its `toHttpException` with its headers (`WWW-Authenticate`,
 *   `Retry-After`) put on the response through the HTTP adapter (Express and Fastify alike); in a GraphQL resolver,
 *   its `toGraphQLRefusal`; on a socket.io gateway it passes on, for `AuthSocketErrorsFilter`;
 * - an error that says the module's database cannot be reached (`isDatabaseUnavailable`) becomes
 *   `DATABASE_UNAVAILABLE` (503 with `Retry-After`), logged as one warning line (docs/operations.md: Outages), instead of a 500
 *   with a stack trace.
 * Everything else passes untouched. An interceptor, not a filter: a filter would answer itself, ahead of the host's
 * global filters; this rethrows, so a host that formats its errors its own way does so on the module's routes too.
 * Bound to the module's controllers (`@AuthErrorHandling()`), never installed globally; a host puts it on its own
 * controllers, resolvers or gateways that call `AuthService`.
 */
@Injectable()
export class AuthErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('DatabaseUnavailable');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => this.translate(error, context))));
  }

  private translate(error: unknown, context: ExecutionContext): unknown {
    const refused = isDatabaseUnavailable(error) ? this.unavailable(error, context) : error;
    const type = context.getType<string>();
    if (type === 'graphql' && refused instanceof AuthError) return toGraphQLRefusal(refused);
    if (type !== 'http') return refused;
    const answer = refused instanceof AuthError ? toHttpException(refused) : refused;
    // Also an HTTP exception that asks for headers itself (a host's InvalidTokenException).
    setResponseHeaders(context, answer, this.adapterHost.httpAdapter);
    return answer;
  }

  private unavailable(error: unknown, context: ExecutionContext): AuthError {
    const adapter = this.adapterHost.httpAdapter;
    const request: unknown =
      context.getType() === 'http' ? context.switchToHttp().getRequest() : undefined;
    const url = request === undefined ? '' : String(adapter?.getRequestUrl?.(request) ?? '');
    const reason = unavailabilityReason(error);
    this.logger.warn(
      new LogLine('Database unavailable: answered 503', {
        reason,
        method: request === undefined ? '' : String(adapter?.getRequestMethod?.(request) ?? ''),
        // The path only: a query string is the client's to keep out of logs.
        path: url.split('?')[0],
      }),
    );
    return new AuthError('DATABASE_UNAVAILABLE', {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      reason,
    });
  }
}

/** The module's error handling ({@link AuthErrorsInterceptor}), for its own controllers and a host's. */
export function AuthErrorHandling(): ClassDecorator & MethodDecorator {
  return UseInterceptors(AuthErrorsInterceptor);
}
