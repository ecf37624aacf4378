/** Why a token was refused, for the debug log: never the token, nor any part of it. */
export class TokenRefusal extends Error {
  override readonly name = 'TokenRefusal';
}

/**
 * jsonwebtoken's error classes, by name: their messages are fixed sentences (at most naming the expected issuer or
 * audience, which are settings). Matched by name so that this module does not import jsonwebtoken itself, which
 * only @nestjs/jwt depends on.
 */
const JSONWEBTOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * One line on why verification threw, safe to log: our own reasons and jsonwebtoken's. Any other error is named by
 * its class only: a JSON parser's message may quote the text it failed on, a part of the token.
 */
export function refusalReason(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  if (error instanceof TokenRefusal || JSONWEBTOKEN_ERRORS.has(error.name)) return error.message;
  return error.name;
}
