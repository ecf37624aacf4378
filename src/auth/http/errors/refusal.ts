import type { ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthError } from '../../core/errors/auth-error';
import { toGraphQLRefusal } from '../../contexts/graphql-refusal';
import { setResponseHeaders } from './response-headers';
import { SocketRefusal } from '../../contexts/socket-refusal';
import { toHttpException } from './to-http-exception';

/**
 * A guard's refusal of the request in `context`, as the exception to throw, in the terms of its face:
 * - HTTP: `error` mapped by {@link toHttpException}, with the headers it asks for (`WWW-Authenticate`,
 *   `Retry-After`) put on the response now, through the HTTP adapter. So a refusal on a host's route carries its
 *   code and challenge although the module installs no global filter (guards run before any interceptor);
 * - GraphQL: the error with `extensions.code` and `extensions.authCode` of {@link toGraphQLRefusal};
 * - socket.io: a {@link SocketRefusal}, which `AuthSocketErrorsFilter` acknowledges.
 * Logs nothing: TokenService logged why it refused a token.
 * @param http the app's `HttpAdapterHost`; without it (a guard built by hand in a test) no header is set.
 */
export function refusal(
  context: ExecutionContext,
  error: AuthError,
  http: HttpAdapterHost | undefined,
): Error {
  const type = context.getType<string>();
  if (type === 'graphql') return toGraphQLRefusal(error);
  if (type === 'ws') return new SocketRefusal(error);
  const exception = toHttpException(error);
  setResponseHeaders(context, exception, http?.httpAdapter);
  return exception;
}
