import { JsonWebTokenError, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
import type { TokenKind } from '../model/token.types';
import { TokenRejectedError } from './auth-error';

/**
 * What jsonwebtoken threw while TokenService had it check a signature only (one pinned algorithm, the key the
 * header named, no claim options): the reason comes from the error's class, never from its message, whose wording
 * is the library's to change. `TokenExpiredError` and `NotBeforeError` (subclasses of `JsonWebTokenError`) cannot
 * come from such a call, and keep their meaning should they ever; any other `JsonWebTokenError`, and any error
 * thrown on the way (jwa's `TypeError` for an ECDSA signature of the wrong length), is a signature that does not
 * hold. The library's message is kept for the debug log (its sentences quote no token); another error is named by
 * its class only, since its message may quote what it failed on.
 */
export function signatureRejection(kind: TokenKind, error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof TokenExpiredError) {
    return new TokenRejectedError(kind, 'token_expired', error.message);
  }
  if (error instanceof NotBeforeError) {
    return new TokenRejectedError(kind, 'token_claims', error.message);
  }
  if (error instanceof JsonWebTokenError) {
    return new TokenRejectedError(kind, 'token_signature', error.message);
  }
  return new TokenRejectedError(kind, 'token_signature', nameOf(error));
}

/**
 * Any error met while checking a token of `kind`, as a {@link TokenRejectedError}: a rejection as it is; anything
 * else as `token_invalid`, named by its class only (a JSON parser's message may quote the text it failed on, a part
 * of the token). TokenService's own checks and {@link signatureRejection} give every expected refusal its reason
 * first.
 */
export function tokenRejection(kind: TokenKind, error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  return new TokenRejectedError(kind, 'token_invalid', nameOf(error));
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
