import { IntrinsicException } from '@nestjs/common';
import type { AuthError } from './auth-error';

/** The codes a GraphQL client reads in `errors[].extensions.code` (Apollo's names, also used with Mercurius). */
export type GraphQLRefusalCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

/**
 * A refusal in a GraphQL resolver. Not a `GraphQLError` (the module does not import `graphql`, an optional peer):
 * graphql-js wraps whatever a resolver throws into one and takes the `extensions` of the original error, so the
 * client gets `extensions.code` with Apollo and Mercurius alike, in an answer of status 200, never a 5xx. No
 * `statusCode` here on purpose: Mercurius would answer with it. An IntrinsicException, as Nest's HTTP exceptions
 * are: Nest's GraphQL exception handler logs any other error at error level with its stack, and any client could
 * then fill the error log.
 */
export class GraphQLRefusal extends IntrinsicException {
  override readonly name: string = 'GraphQLRefusal';

  constructor(
    message: string,
    readonly extensions: { code: GraphQLRefusalCode },
  ) {
    super(message);
  }
}

/**
 * The GraphQL answer to `error`: `FORBIDDEN` for a missing role, `UNAUTHENTICATED` for everything else (no token, a
 * bad, expired or revoked one), with the messages of the HTTP answers (see `toHttpException`).
 */
export function toGraphQLRefusal(error: AuthError): GraphQLRefusal {
  if (error.code === 'insufficient_role') {
    return new GraphQLRefusal('Insufficient role for this resource', { code: 'FORBIDDEN' });
  }
  const message =
    error.code === 'token_missing' ? 'Authentication required' : 'Invalid or expired token';
  return new GraphQLRefusal(message, { code: 'UNAUTHENTICATED' });
}
