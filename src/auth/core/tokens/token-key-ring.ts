import type { KeyObject } from 'node:crypto';
import { TokenRejectedError } from '../errors/auth-error';
import type { AccessKeys, JsonWebKeySet } from './access-keys';
import { type CompactToken, parseCompactToken } from './compact-token';
import type { JwtAlgorithm } from './jwt-algorithm';
import type { TokenSettings } from './token-settings';
import { isTypeOf, type TokenKind } from '../model/token.types';

/** The algorithm of refresh tokens always, and of access tokens by default. */
const HMAC = 'HS256';

/**
 * The keys of both token kinds, as KeyObjects made once at boot (see `TokenSettings`): the HMAC secrets, and with an
 * asymmetric algorithm the private key that signs access tokens and the public keys (current and previous, by
 * `kid`) that verify them. Picks the key a token is verified with from its header, never from what the token embeds.
 */
export class TokenKeyRing {
  /** The key each kind is signed with: an HMAC secret, or the private key of an asymmetric algorithm. */
  private readonly signing: Record<TokenKind, KeyObject>;
  /** Set with an asymmetric algorithm only. */
  private readonly accessKeys?: AccessKeys;
  private readonly accessAlgorithm: JwtAlgorithm;

  constructor(settings: Pick<TokenSettings, 'access' | 'refreshKey'>) {
    const { access } = settings;
    this.accessAlgorithm = access.algorithm;
    if ('privateKey' in access) this.accessKeys = access;
    this.signing = {
      access: 'privateKey' in access ? access.privateKey : access.key,
      refresh: settings.refreshKey,
    };
  }

  algorithmOf(kind: TokenKind): JwtAlgorithm {
    return kind === 'access' ? this.accessAlgorithm : HMAC;
  }

  signingKey(kind: TokenKind): KeyObject {
    return this.signing[kind];
  }

  /** The `kid` a new token of `kind` carries: the current public key's thumbprint, for asymmetric access tokens. */
  kidOf(kind: TokenKind): string | undefined {
    return kind === 'access' ? this.accessKeys?.kid : undefined;
  }

  /** See `TokenService.keyFor`. */
  keyFor(kind: TokenKind, token?: string): KeyObject {
    if (token === undefined) {
      const accessKeys = kind === 'access' ? this.accessKeys : undefined;
      return accessKeys?.publicKeys.get(accessKeys.kid) ?? this.signing[kind];
    }
    const compact = parseCompactToken(token);
    if (compact === undefined)
      throw new TokenRejectedError(kind, 'token_malformed', 'not a compact JWS');
    return this.keyOf(kind, compact);
  }

  /** {@link keyFor} on a parsed token: throws a {@link TokenRejectedError} naming the header field at fault. */
  keyOf(kind: TokenKind, { header }: CompactToken): KeyObject {
    if (!isTypeOf(kind, header.typ)) {
      throw new TokenRejectedError(kind, 'token_type', `typ is not the one of ${kind} tokens`);
    }
    if (header.alg !== this.algorithmOf(kind)) {
      throw new TokenRejectedError(kind, 'token_algorithm', `alg is not ${this.algorithmOf(kind)}`);
    }
    // RFC 7515 §4.1.11: a verifier that understands no extension refuses any `crit`; jsonwebtoken ignores it.
    if (header.crit !== undefined)
      throw new TokenRejectedError(kind, 'token_malformed', 'crit header present');
    const accessKeys = kind === 'access' ? this.accessKeys : undefined;
    if (accessKeys === undefined) return this.signing[kind];
    const key = typeof header.kid === 'string' ? accessKeys.publicKeys.get(header.kid) : undefined;
    if (key === undefined)
      throw new TokenRejectedError(kind, 'token_kid', 'kid names no configured public key');
    return key;
  }

  /** The public keys that verify access tokens, as a JWK Set; empty with HS256 (a secret is never published). */
  jwks(): JsonWebKeySet {
    return this.accessKeys?.jwks ?? { keys: [] };
  }
}
