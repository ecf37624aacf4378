import { KeyObject } from 'node:crypto';
import { Strategy } from 'passport';
import type { JwtFromRequestFunction, SecretOrKeyProvider } from 'passport-jwt';

/** Options of {@link JwtStrategy}: passport-jwt's, with the signature check in place of jsonwebtoken's options. */
export interface JwtStrategyOptions {
  /** Where the token is read from. */
  jwtFromRequest: JwtFromRequestFunction;
  /** Chooses the key that verifies this token, as a `KeyObject`, or refuses the token. */
  secretOrKeyProvider: SecretOrKeyProvider;
  /** Checks the token with the key; returns its payload, throws when the token does not hold. */
  verifyToken(token: string, key: KeyObject): unknown;
}

type Verified = (error: unknown, user?: Express.User | false | null, info?: object) => void;

/**
 * passport-jwt's `Strategy`, same flow and same outcomes (no token, a refused key or a bad token fail; an error of
 * the verify callback is an error), except that the signature check is given instead of being jsonwebtoken's:
 * jsonwebtoken has no EdDSA (RFC 8037), and passport-jwt cannot be given another verifier per strategy.
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
    if (!token) return this.fail(new Error('No auth token'));
    this.options.secretOrKeyProvider(request, token, (keyError, key) => {
      if (keyError) return this.fail(asFailure(keyError));
      if (!(key instanceof KeyObject)) return this.fail(new Error('No key'));
      let payload: unknown;
      try {
        payload = this.options.verifyToken(token, key);
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
    });
  }
}

/** What passport's `fail` takes: the verifier's error as it is (passport-jwt passes jsonwebtoken's errors the same). */
function asFailure(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
