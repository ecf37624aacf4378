import { ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import type { AuthUser } from '../auth.types';

/**
 * An auth failure that carries its RFC 6750 §3 challenge; {@link BearerChallengeFilter} puts it in the
 * `WWW-Authenticate` header, so that guards and services stay free of HTTP adapter details.
 */
export interface BearerChallenge {
  readonly challenge: string;
}

export function hasBearerChallenge(error: unknown): error is HttpException & BearerChallenge {
  return (
    error instanceof HttpException &&
    typeof (error as Partial<BearerChallenge>).challenge === 'string'
  );
}

/** No bearer token was sent: a bare challenge, as RFC 6750 §3.1 asks (no error code). */
export class MissingTokenException extends UnauthorizedException implements BearerChallenge {
  readonly challenge = 'Bearer';

  constructor() {
    super('Authentication required');
  }
}

/** The token is malformed, expired, revoked, reused, of the wrong type, or its session or user is gone. */
export class InvalidTokenException extends UnauthorizedException implements BearerChallenge {
  readonly challenge = 'Bearer error="invalid_token"';

  constructor(message = 'Invalid or expired token') {
    super(message);
  }
}

/** A valid access token whose session was revoked: refused, but it says whose it was (see `@AllowRevokedSession`). */
export class RevokedSessionException extends InvalidTokenException {
  constructor(readonly user: AuthUser) {
    super();
  }
}

/** Signed in, but without a role the route requires. */
export class InsufficientScopeException extends ForbiddenException implements BearerChallenge {
  readonly challenge = 'Bearer error="insufficient_scope"';

  constructor() {
    super('Insufficient role for this resource');
  }
}
