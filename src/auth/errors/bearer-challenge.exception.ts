import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { WithResponseHeaders } from './response-headers';

/**
 * Auth failures with their RFC 6750 §3 challenge in `WWW-Authenticate`: what `toHttpException` gives for an
 * {@link AuthError} (the guards put the header on the response as they refuse; `ResponseHeadersFilter` does on the
 * module's own routes). Public: a host may throw them on its own routes too, where nothing adds the header (the
 * module installs no global filter).
 */
function challenge(value: string): WithResponseHeaders['responseHeaders'] {
  return { 'WWW-Authenticate': value };
}

/** No bearer token was sent: a bare challenge, as RFC 6750 §3.1 asks (no error code). */
export class MissingTokenException extends UnauthorizedException implements WithResponseHeaders {
  readonly responseHeaders = challenge('Bearer');

  constructor() {
    super('Authentication required');
  }
}

/** The token is malformed, expired, revoked, reused, of the wrong type, or its session or user is gone. */
export class InvalidTokenException extends UnauthorizedException implements WithResponseHeaders {
  readonly responseHeaders = challenge('Bearer error="invalid_token"');

  constructor(message = 'Invalid or expired token') {
    super(message);
  }
}

/** Signed in, but without a role the route requires. */
export class InsufficientScopeException extends ForbiddenException implements WithResponseHeaders {
  readonly responseHeaders = challenge('Bearer error="insufficient_scope"');

  constructor() {
    super('Insufficient role for this resource');
  }
}
