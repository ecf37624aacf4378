import type { SecretOrKeyProvider } from 'passport-jwt';
import type { TokenService } from '../tokens/token.service';
import type { TokenKind } from '../tokens/token.types';

/**
 * passport-jwt's key callback: refuses a token whose `typ` is not `kind` before any signature work, and hands over
 * the key as a KeyObject (passport-jwt passes it to jsonwebtoken as is; its types only know strings and Buffers).
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
