import type { SecretOrKeyProvider } from 'passport-jwt';
import type { TokenService } from '../tokens/token.service';
import type { TokenKind } from '../tokens/token.types';

/**
 * The strategies' key callback (passport-jwt's `secretOrKeyProvider`): refuses, before any signature work, a token
 * whose `typ` or `alg` is not `kind`'s or whose `kid` names no configured key, and hands over the key that verifies
 * it as a KeyObject (passport-jwt passes it to jsonwebtoken as is; its types only know strings and Buffers). The
 * choice itself is {@link TokenService.keyFor}'s.
 */
export function keyProvider(tokens: TokenService, kind: TokenKind): SecretOrKeyProvider {
  return (_request, rawJwtToken: string, done) => {
    try {
      done(null, tokens.keyFor(kind, rawJwtToken) as unknown as Buffer);
    } catch (error) {
      done(error);
    }
  };
}
