import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService, type JwtVerifyOptions } from '@nestjs/jwt';
import type { KeyObject } from 'node:crypto';
import { CLOCK, type Clock } from '../clock/clock';
import { TokenRejectedError } from '../errors/auth-error';
import { signatureRejection, tokenRejection } from '../errors/token-rejection';
import type { JsonWebKeySet } from './access-keys';
import { parseCompactToken, payloadJsonOf } from './compact-token';
import { isJsonObjectWithUniqueKeys } from './json-unique-keys';
import { hasClaimsOf } from './claims-shape';
import { TokenKeyRing } from './token-key-ring';
import { TOKEN_SETTINGS, type TokenSettings } from './token-settings';
import {
  type AccessTokenClaims,
  type BaseClaims,
  type RefreshTokenClaims,
  type SignedToken,
  TOKEN_TYPES,
  type TokenKind,
} from '../model/token.types';

/** How far ahead of our clock an issuer's `nbf`/`iat` may be (docs/sessions.md: Behaviour in detail, Tokens). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** What identifies a token to sign: the rest (`iss`, `aud`, `typ`) comes from the settings. */
export type ClaimsToSign<C extends BaseClaims> = Omit<C, 'iss' | 'aud'>;

/**
 * Signs and verifies both token types through @nestjs/jwt's `JwtService` (jsonwebtoken), with KeyObjects parsed
 * once at boot, so no call parses a PEM or a string secret. Refresh tokens are HMAC-signed: signing is deterministic,
 * the same claims give the same token byte for byte, which is how a refresh token is re-issued within the reuse
 * grace without ever storing it. Access tokens are HMAC-signed too, or, with an asymmetric `jwtAlgorithm`, signed with the private key and
 * verified with the public key their `kid` names, among the current and previous ones (published as JWKS).
 */
@Injectable()
export class TokenService {
  private readonly keys: TokenKeyRing;
  private readonly logger = new Logger(TokenService.name);
  /** jsonwebtoken's options for each verification key: see {@link signatureOnly}. */
  private readonly signatureOptions = new Map<KeyObject, JwtVerifyOptions>();

  constructor(
    @Inject(TOKEN_SETTINGS) private readonly settings: TokenSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly jwt: JwtService,
  ) {
    this.keys = new TokenKeyRing(settings);
  }

  signAccessToken(
    claims: ClaimsToSign<AccessTokenClaims>,
    /** The host's claims (checked for reserved names by the hooks' runner); the module's own come after them. */
    extra?: Readonly<Record<string, unknown>>,
  ): SignedToken {
    const { sub, sid, jti, iat, exp, email, roles, email_verified, auth_time, amr, acr } = claims;
    return this.sign('access', {
      ...extra,
      ...this.issuerClaims(),
      ...{ sub, sid, jti, iat, exp, email, roles },
      email_verified,
      ...{ auth_time, amr, acr },
    });
  }

  signRefreshToken(claims: ClaimsToSign<RefreshTokenClaims>): SignedToken {
    const { sub, sid, jti, iat, exp, gen } = claims;
    return this.sign('refresh', {
      ...this.issuerClaims(),
      ...{ sub, sid, jti, iat, exp },
      ...(gen !== undefined && { gen }),
    });
  }

  /**
   * Verifies a token of the given kind completely: signature, algorithm, `typ`, `kid`, `iss`, `aud` and times.
   * @throws TokenRejectedError naming why: its `code`, and its message, logged here at debug level (never the
   * token). The guards map it to HTTP (`toHttpException`); a caller of its own answers as it sees fit.
   */
  verify(kind: 'access', token: string): AccessTokenClaims;
  verify(kind: 'refresh', token: string): RefreshTokenClaims;
  verify(kind: TokenKind, token: string): BaseClaims {
    try {
      return this.assertClaims(kind, this.verifySignature(kind, token));
    } catch (error) {
      const rejection = tokenRejection(kind, error);
      // The client gets a bare 401 whatever the reason; the operator may want it. Never the token itself.
      this.logger.debug(`${kind} token refused: ${rejection.message}`);
      throw rejection;
    }
  }

  /**
   * {@link verify}, answering the rejection instead of throwing it: for callers that pick among candidates (refresh
   * cookies, some planted), each verified once, or that do nothing with a bad token (logout by refresh token).
   */
  check(kind: 'refresh', token: string): RefreshTokenClaims | TokenRejectedError {
    try {
      return this.verify(kind, token);
    } catch (error) {
      return tokenRejection(kind, error);
    }
  }

  /**
   * The key that verifies `token` as a token of `kind`. Refuses, before any signature work, a token whose `typ` is
   * not `kind`'s (an access token presented as a refresh token or back fails here even when both secrets are equal)
   * or whose `alg` is not `kind`'s. With an asymmetric algorithm, the access key is the configured public key whose
   * thumbprint is the token's `kid`: a token without `kid`, or with an unknown one, is refused, and a key the token
   * names or embeds itself (`jwk`, `jku`, `x5u`, `x5c`) is never looked at. Without a token: the key of current
   * tokens of `kind`.
   * @throws TokenRejectedError (`token_malformed`, `token_type`, `token_algorithm`, `token_kid`) for a token refused.
   */
  keyFor(kind: TokenKind, token?: string): KeyObject {
    return this.keys.keyFor(kind, token);
  }

  /**
   * Checks `token` up to its signature and returns its payload, or throws a {@link TokenRejectedError}. The module
   * checks everything it can itself, so that what jsonwebtoken still throws has one meaning: the header is decoded
   * once, by {@link parseCompactToken}, and `typ`, `alg`, `crit` and `kid` are checked on it (jsonwebtoken reads none
   * of them but `alg`); jsonwebtoken then checks only the signature, with the one algorithm pinned for `kind` and the
   * key the header named (no claim: `iss`, `aud` and the times are {@link assertClaims}'s, on the injected clock).
   * Any error of that call is a signature that does not hold over these bytes with that key (see
   * `signatureRejection`), whatever its message says.
   */
  private verifySignature(kind: TokenKind, token: string): unknown {
    const compact = parseCompactToken(token);
    if (compact === undefined) {
      throw new TokenRejectedError(kind, 'token_malformed', 'not a compact JWS of at most 8 KiB');
    }
    const key = this.keys.keyOf(kind, compact);
    let payload: unknown;
    try {
      payload = this.jwt.verify<object>(token, this.signatureOnly(kind, key));
    } catch (error) {
      throw signatureRejection(kind, error);
    }
    // Only a token we signed gets here, so only our own tokens pay for the scan; see json-unique-keys.ts for why
    // jsonwebtoken's JSON.parse does not make it moot. A payload that is no JSON object is refused here too.
    if (
      !isJsonObjectWithUniqueKeys(compact.headerJson) ||
      !isJsonObjectWithUniqueKeys(payloadJsonOf(compact))
    ) {
      throw new TokenRejectedError(
        kind,
        'token_malformed',
        'a key appears twice in the header or the payload, or the payload is no JSON object',
      );
    }
    return payload;
  }

  /**
   * jsonwebtoken's options that check the signature with `key` and the algorithm of `kind`, and nothing else; made
   * once per key. @nestjs/jwt 12 types a per-call `publicKey` as string | Buffer, yet hands it to jsonwebtoken as it
   * is, and jsonwebtoken takes a KeyObject as it is (a string or Buffer it would parse on every call): the cast only
   * widens what the type admits to what the library does.
   */
  private signatureOnly(kind: TokenKind, key: KeyObject): JwtVerifyOptions {
    let options = this.signatureOptions.get(key);
    if (options === undefined) {
      options = {
        algorithms: [this.keys.algorithmOf(kind)],
        publicKey: key as unknown as Buffer,
        ignoreExpiration: true,
        ignoreNotBefore: true,
      };
      this.signatureOptions.set(key, options);
    }
    return options;
  }

  private hasOurIssuerAndAudience(payload: { iss?: unknown; aud?: unknown }): boolean {
    // RFC 7519 §4.1.3: `aud` may be an array; this module writes a string, but a verifier takes either.
    const audiences: unknown[] = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return payload.iss === this.settings.issuer && audiences.includes(this.settings.audience);
  }

  /**
   * The public keys that verify access tokens, as a JWK Set: the current key, then the previous ones. Empty with
   * HS256, whose key is a shared secret that is never published.
   */
  jwks(): JsonWebKeySet {
    return this.keys.jwks();
  }

  /**
   * Checks the claims: every claim present and well typed, `iss` and `aud` ours, and against the injected clock not
   * expired (no tolerance: this server issued it, on this clock), not issued in the future.
   * @throws TokenRejectedError `token_claims` or `token_expired`.
   */
  assertClaims(kind: 'access', payload: unknown): AccessTokenClaims;
  assertClaims(kind: 'refresh', payload: unknown): RefreshTokenClaims;
  assertClaims(kind: TokenKind, payload: unknown): BaseClaims;
  assertClaims(kind: TokenKind, payload: unknown): BaseClaims {
    if (!hasClaimsOf(kind, payload)) {
      throw new TokenRejectedError(kind, 'token_claims', 'a claim is missing or mistyped');
    }
    if (!this.hasOurIssuerAndAudience(payload)) {
      throw new TokenRejectedError(kind, 'token_claims', 'iss or aud is not ours');
    }
    const now = Math.floor(this.clock.now() / 1000);
    const ahead = now + CLOCK_TOLERANCE_SECONDS;
    if (now >= payload.exp) throw new TokenRejectedError(kind, 'token_expired', 'exp is past');
    if (payload.iat > ahead || (payload.nbf ?? 0) > ahead) {
      throw new TokenRejectedError(kind, 'token_claims', 'iat or nbf is in the future');
    }
    return payload;
  }

  /**
   * jsonwebtoken writes the header as `Object.assign({ alg, typ, kid }, header)` and the payload in the order given
   * (`iat` kept in place), so the same claims give the same HS256 token byte for byte, as before the switch to it.
   */
  private sign(
    kind: TokenKind,
    payload: BaseClaims | AccessTokenClaims | RefreshTokenClaims,
  ): SignedToken {
    const kid = this.keys.kidOf(kind);
    const algorithm = this.keys.algorithmOf(kind);
    const header = { alg: algorithm, typ: TOKEN_TYPES[kind], ...(kid && { kid }) };
    const token = this.jwt.sign(payload, {
      algorithm,
      header,
      privateKey: this.keys.signingKey(kind),
    });
    return { token, expiresAt: payload.exp };
  }

  private issuerClaims() {
    return { iss: this.settings.issuer, aud: this.settings.audience };
  }
}
