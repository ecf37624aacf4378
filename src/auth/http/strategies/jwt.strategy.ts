import { Strategy } from 'passport';
import { AuthError } from '../../core/errors/auth-error';

/** Options of {@link JwtStrategy}. */
export interface JwtStrategyOptions {
  /**
   * Reads the request's token and checks it: returns what the strategy's `validate` is given (claims or caller).
   * Throws an {@link AuthError} when the token is missing or refused (the strategy fails, as passport-jwt's does),
   * anything else (a `BadRequestException` for a malformed body) to end the request with it.
   */
  verifyRequest(request: unknown): unknown;
}

type Verified = (error: unknown, user?: Express.User | false | null, info?: object) => void;

/**
 * passport-jwt's `Strategy` flow and outcomes (no token or a bad token fail; an error of the verify callback is an
 * error), except that reading and checking the token is given, in one call, instead of being passport-jwt's own call
 * to jsonwebtoken: the module checks what jsonwebtoken does not (`typ`, `kid`, `crit`, duplicate keys, revocation),
 * remembers verified access tokens, and verifies a refresh token once even when it picks among several cookies.
 */
export class JwtStrategy extends Strategy {
  constructor(
    private readonly options: JwtStrategyOptions,
    private readonly verify: (payload: unknown, done: Verified) => void,
  ) {
    super();
  }

  override authenticate(request: unknown): void {
    let payload: unknown;
    try {
      payload = this.options.verifyRequest(request);
    } catch (error) {
      // A refusal fails the strategy (a guard maps it, or passport answers 401); anything else is an error.
      return error instanceof AuthError ? this.fail(error) : this.error(error);
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
