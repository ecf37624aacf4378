import type { HttpException } from '@nestjs/common';
import type { AuthError, AuthErrorCode } from './auth-error';
import {
  InsufficientScopeException,
  InvalidTokenException,
  MissingTokenException,
} from './bearer-challenge.exception';

/**
 * The answer to each code (README: Use it in your Nest app, Errors). A missing access token gets the bare challenge
 * RFC 6750 §3.1 asks for; every refusal of a refresh, a missing token included, and of a presented access token is
 * `invalid_token` (README: Behaviour in detail, Refresh), whatever the reason: the reason is the server's to log.
 */
const ANSWERS: Record<AuthErrorCode, () => HttpException> = {
  token_missing: () => new MissingTokenException(),
  refresh_token_missing: () => new InvalidTokenException(),
  token_malformed: () => new InvalidTokenException(),
  token_type: () => new InvalidTokenException(),
  token_algorithm: () => new InvalidTokenException(),
  token_kid: () => new InvalidTokenException(),
  token_signature: () => new InvalidTokenException(),
  token_expired: () => new InvalidTokenException(),
  token_claims: () => new InvalidTokenException(),
  token_revoked: () => new InvalidTokenException(),
  token_invalid: () => new InvalidTokenException(),
  insufficient_role: () => new InsufficientScopeException(),
};

/**
 * The HTTP exception a client gets for `error`, the one mapping of the module's domain errors to HTTP:
 * - `token_missing`: 401 `{ statusCode: 401, message: 'Authentication required', error: 'Unauthorized' }`,
 *   `WWW-Authenticate: Bearer`;
 * - `insufficient_role`: 403 `{ statusCode: 403, message: 'Insufficient role for this resource', error: 'Forbidden' }`,
 *   `WWW-Authenticate: Bearer error="insufficient_scope"`;
 * - every other code: 401 `{ statusCode: 401, message: 'Invalid or expired token', error: 'Unauthorized' }`,
 *   `WWW-Authenticate: Bearer error="invalid_token"`.
 *
 * The header is in the exception's `responseHeaders`: whoever answers with it puts it on the response (see
 * `refusal`). A new exception on every call: Nest may write to it.
 */
export function toHttpException(error: AuthError): HttpException {
  return ANSWERS[error.code]();
}
