import { Strategy } from 'passport';
import type { JwtFromRequestFunction } from 'passport-jwt';
import { AuthError } from '../errors/auth-error';

/** Options of {@link JwtStrategy}: passport-jwt's `jwtFromRequest`, and the token check in place of its key options. */
export interface JwtStrategyOptions {
  /** Where the token is read from. */
  jwtFromRequest: JwtFromRequestFunction;
  /** Checks the token (key, signature and claims); returns its payload, throws when the token does not hold. */
  verifyToken(token: string): unknown;
  /** What a request without a token fails with: no access token, or no refresh token. */
  missingToken: 'token_missing' | 'refresh_token_missing';
}

type Verified = (error: unknown, user?: Express.User | false | null, info?: object) => void;

/**
 * passport-jwt's `Strategy`, same flow and same outcomes (no token or a bad token fail; an error of the verify
 * callback is an error), except that the token check is given instead of being passport-jwt's own call to
 * jsonwebtoken: TokenService checks what jsonwebtoken does not (`typ`, `kid`, `crit`, duplicate keys), and
 * passport-jwt cannot be given another verifier, nor a cache of verified tokens.
 */
export class JwtStrategy extends Strategy {
  constructor(
    private readonly options: JwtStrategyOptions,
    private readonly verify: (payload: unknown, done: Verified) => void,
  ) {
    super();
  }

  override authenticate(request: unknown): void {
    const token = this.options.jwtFromRequest(request);
    if (!token)
      return this.fail(new AuthError(this.options.missingToken, 'no token in the request'));
    let payload: unknown;
    try {
      payload = this.options.verifyToken(token);
    } catch (error) {
      return this.fail(asFailure(error));
    }
    try {
      this.verify(payload, (error, user, info) => {
        if (error) return this.error(error);
        if (!user) return this.fail(info);
        this.success(user, info);
      });
    } catch (error) {
      this.error(error);
    }
  }
}

/**
 * What passport's `fail` takes: the verifier's error as it is (TokenService's `TokenRejectedError`; passport-jwt
 * passes jsonwebtoken's errors the same), for the guard to map.
 */
function asFailure(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
