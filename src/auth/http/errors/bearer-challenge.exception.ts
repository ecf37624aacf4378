import { AuthError } from '../../core/errors/auth-error';
import { AuthHttpException } from './to-http-exception';

/**
 * The auth failures a host may throw on its own routes, as the module answers them (with `code`, and their RFC 6750
 * §3 challenge in `responseHeaders`, which nothing adds on a host's route: the module installs no global filter).
 */

/** No bearer token was sent: 401 `TOKEN_MISSING`, a bare `Bearer` challenge (RFC 6750 §3.1: no error code). */
export class MissingTokenException extends AuthHttpException {
  constructor() {
    super(new AuthError('TOKEN_MISSING'));
  }
}

/** The token is malformed, expired, revoked, reused, of the wrong type, or its session or user is gone. */
export class InvalidTokenException extends AuthHttpException {
  constructor(message?: string) {
    super(new AuthError('TOKEN_INVALID', message === undefined ? {} : { message }));
  }
}

/** Signed in, but without a role the route requires: 403 `INSUFFICIENT_ROLE`, `insufficient_scope`. */
export class InsufficientScopeException extends AuthHttpException {
  constructor() {
    super(new AuthError('INSUFFICIENT_ROLE'));
  }
}
