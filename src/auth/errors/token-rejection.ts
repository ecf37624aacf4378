import type { TokenKind } from '../tokens/token.types';
import { TokenRejectedError, type TokenRejectionReason } from './auth-error';

/**
 * jsonwebtoken's error classes, by name: their messages are fixed sentences (at most naming the expected issuer or
 * audience, which are settings). Matched by name so that this module does not import jsonwebtoken itself, which
 * only @nestjs/jwt depends on.
 */
const JSONWEBTOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * The code of a jsonwebtoken error, from its class and its fixed message. What TokenService checks before calling
 * it (the compact form, `alg`) rarely reaches here; anything not named is a token jsonwebtoken could not read.
 */
function jsonwebtokenCode(error: Error): TokenRejectionReason {
  if (error.name === 'TokenExpiredError') return 'token_expired';
  if (error.name === 'NotBeforeError') return 'token_claims';
  switch (error.message) {
    case 'invalid signature':
    case 'jwt signature is required':
      return 'token_signature';
    case 'invalid algorithm':
      return 'token_algorithm';
    case 'invalid exp value':
    case 'invalid nbf value':
      return 'token_claims';
  }
  return /^jwt (audience|issuer) invalid/.test(error.message) ? 'token_claims' : 'token_malformed';
}

/**
 * What verifying a token of `kind` threw, as a {@link TokenRejectedError}: a rejection as it is; jsonwebtoken's
 * errors with their code and message; any other error as `token_invalid`, named by its class only, since a JSON
 * parser's message may quote the text it failed on, a part of the token.
 */
export function tokenRejection(kind: TokenKind, error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (!(error instanceof Error)) return new TokenRejectedError(kind, 'token_invalid', typeof error);
  if (JSONWEBTOKEN_ERRORS.has(error.name)) {
    return new TokenRejectedError(kind, jsonwebtokenCode(error), error.message);
  }
  return new TokenRejectedError(kind, 'token_invalid', error.name);
}
