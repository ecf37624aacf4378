import { IntrinsicException } from '@nestjs/common';
import {
  type AuthError,
  type AuthErrorCode,
  type CoreAuthErrorCode,
  authErrorCodes,
} from '../core/errors/auth-error';

/**
 * The codes a GraphQL client reads in `errors[].extensions.code`: Apollo's names (`BAD_USER_INPUT`), its
 * conventional `UNAUTHENTICATED` and `FORBIDDEN`, and a few in the same style; Mercurius passes them alike.
 */
export type GraphQLRefusalCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

/** What a refusal carries in `extensions`: Apollo's `code`, and the module's own `authCode` (docs/errors.md). */
export interface GraphQLRefusalExtensions {
  code: GraphQLRefusalCode;
  authCode: AuthErrorCode;
  /** Seconds after which trying again may succeed, when the refusal says so. */
  retryAfterSeconds?: number;
  /** A step-up refusal (`INSUFFICIENT_USER_AUTHENTICATION`): the `acr` values that would do, RFC 9470. */
  acrValues?: string;
  /** A step-up refusal: the longest age, in seconds, the authentication may have. */
  maxAge?: number;
}

/** The one table of the GraphQL face. */
const CORE_CODES: Record<CoreAuthErrorCode, GraphQLRefusalCode> = {
  TOKEN_MISSING: 'UNAUTHENTICATED',
  REFRESH_TOKEN_MISSING: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'UNAUTHENTICATED',
  TOKEN_REVOKED: 'UNAUTHENTICATED',
  TOKEN_INVALID: 'UNAUTHENTICATED',
  REFRESH_TOKEN_REUSED: 'UNAUTHENTICATED',
  INSUFFICIENT_ROLE: 'FORBIDDEN',
  INVALID_CREDENTIALS: 'UNAUTHENTICATED',
  ACCOUNT_DISABLED: 'FORBIDDEN',
  ACCOUNT_CANNOT_SIGN_IN: 'FORBIDDEN',
  EMAIL_NOT_VERIFIED: 'FORBIDDEN',
  EMAIL_TAKEN: 'CONFLICT',
  WRONG_CURRENT_PASSWORD: 'FORBIDDEN',
  INVALID_MAIL_TOKEN: 'BAD_USER_INPUT',
  SESSION_NOT_FOUND: 'NOT_FOUND',
  USER_NOT_FOUND: 'NOT_FOUND',
  LAST_ADMIN: 'CONFLICT',
  CSRF_CHECK_FAILED: 'FORBIDDEN',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_USER_INPUT',
  VALIDATION_FAILED: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INVALID_MFA_CODE: 'UNAUTHENTICATED',
  MFA_REQUIRED: 'FORBIDDEN',
  INSUFFICIENT_USER_AUTHENTICATION: 'UNAUTHENTICATED',
};

const codes = new Map<string, GraphQLRefusalCode>(Object.entries(CORE_CODES));

/**
 * The GraphQL codes of a feature's codes (registered with `defineAuthErrorCodes`), beside the core's.
 * @throws Error for a code not registered, or mapped already
 */
export function defineGraphQLErrorCodes(
  table: Partial<Record<AuthErrorCode, GraphQLRefusalCode>>,
): void {
  const registered = new Set<string>(authErrorCodes());
  for (const [code, graphqlCode] of Object.entries(table)) {
    if (!registered.has(code)) throw new Error(`Auth error code ${code} is not registered`);
    if (codes.has(code) && codes.get(code) !== graphqlCode) {
      throw new Error(`Auth error code ${code} has a GraphQL code already`);
    }
    codes.set(code, graphqlCode);
  }
}

/** The GraphQL code of `code`, or undefined when the face lacks one (a unit spec makes sure none does). */
export function graphqlRefusalCode(code: AuthErrorCode): GraphQLRefusalCode | undefined {
  return codes.get(code);
}

/**
 * A refusal in a GraphQL resolver. Not a `GraphQLError` (the module does not import `graphql`, an optional peer):
 * graphql-js wraps whatever a resolver throws into one and takes the `extensions` of the original error, so the
 * client gets `extensions.code` and `extensions.authCode` with Apollo and Mercurius alike, in an answer of status
 * 200, never a 5xx. No `statusCode` here on purpose: Mercurius would answer with it. An IntrinsicException, as Nest's
 * HTTP exceptions are: Nest's GraphQL exception handler logs any other error at error level with its stack, and any
 * client could then fill the error log.
 */
export class GraphQLRefusal extends IntrinsicException {
  override readonly name: string = 'GraphQLRefusal';

  constructor(
    message: string,
    readonly extensions: GraphQLRefusalExtensions,
  ) {
    super(message);
  }
}

/**
 * The GraphQL answer to `error`: the message of the HTTP answer (a list of problems joined by `; `), Apollo's code
 * and the module's.
 * @throws Error for a code the face lacks (a registered feature's code without `defineGraphQLErrorCodes`)
 */
export function toGraphQLRefusal(error: AuthError): GraphQLRefusal {
  const mapped = graphqlRefusalCode(error.code);
  if (mapped === undefined) throw new Error(`Auth error code ${error.code} has no GraphQL code`);
  const code = error.details.invalidInput === true ? 'BAD_USER_INPUT' : mapped;
  const message = error.publicMessage;
  const extensions: GraphQLRefusalExtensions = { code, authCode: error.code };
  const { retryAfterSeconds, acrValues, maxAge } = error.details;
  if (retryAfterSeconds !== undefined) extensions.retryAfterSeconds = retryAfterSeconds;
  if (acrValues !== undefined) extensions.acrValues = acrValues;
  if (maxAge !== undefined) extensions.maxAge = maxAge;
  return new GraphQLRefusal(typeof message === 'string' ? message : message.join('; '), extensions);
}
