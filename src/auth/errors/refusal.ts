import type { ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthError } from './auth-error';
import { toGraphQLRefusal } from './graphql-refusal';
import { setResponseHeaders } from './response-headers';
import { toHttpException } from './to-http-exception';

/**
 * A guard's refusal of the request in `context`, as the exception to throw: `error` mapped by
 * {@link toHttpException}, with the headers it asks for (`WWW-Authenticate`) put on the response now, through the
 * HTTP adapter. So a refusal on a host's route carries its challenge although the module installs no global
 * filter. In a GraphQL resolver, the error with `extensions.code` of {@link toGraphQLRefusal} instead. Logs nothing:
 * TokenService logged why it refused a token.
 * @param http the app's `HttpAdapterHost`; without it (a guard built by hand in a test) no header is set.
 */
export function refusal(
  context: ExecutionContext,
  error: AuthError,
  http: HttpAdapterHost | undefined,
): Error {
  if (context.getType<string>() === 'graphql') return toGraphQLRefusal(error);
  const exception = toHttpException(error);
  setResponseHeaders(context, exception, http?.httpAdapter);
  return exception;
}
