import { Inject, Injectable } from '@nestjs/common';
import { JwtService, type JwtVerifyOptions } from '@nestjs/jwt';
import { createSecretKey, hkdfSync, type KeyObject, randomUUID } from 'node:crypto';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { CLOCK, type Clock } from '../../core/clock/clock';
import { AuthError } from '../../core/errors/auth-error';
import { parseCompactToken } from '../../core/tokens/compact-token';

/** The `typ` of a second-factor challenge token: neither `at+jwt` nor `refresh+jwt`, so neither verifier takes it. */
export const MFA_TOKEN_TYPE = 'mfa+jwt';
/** How long a challenge lives: the contract's 5 minutes at most. */
export const MFA_TOKEN_LIFETIME_SECONDS = 300;

/** What a challenge token says: whose sign-in it is, and its own id (its state is stored under it). */
export interface MfaTokenClaims {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
}

/**
 * The `mfaToken` of a login that needs a second factor: a JWT of its own type (`typ: mfa+jwt`), HS256 with a key of
 * its own, derived (HKDF-SHA-256) from the refresh secret, which every instance shares, for this use only: an access
 * or refresh token fails here on its `typ` and on its signature, and this one fails there on its `typ` (and on the
 * signature too, whatever the secrets). Signed through @nestjs/jwt, as the module's other tokens.
 */
@Injectable()
export class MfaChallengeTokens {
  private readonly key: KeyObject;
  private readonly verifyOptions: JwtVerifyOptions;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly jwt: JwtService,
  ) {
    this.key = createSecretKey(
      Buffer.from(
        hkdfSync(
          'sha256',
          options.jwtRefreshSecret,
          Buffer.alloc(0),
          'nest-auth mfa challenge token',
          32,
        ),
      ),
    );
    // Only the signature: the claims are checked below, on the injected clock.
    this.verifyOptions = {
      algorithms: ['HS256'],
      publicKey: this.key as unknown as Buffer,
      ignoreExpiration: true,
      ignoreNotBefore: true,
    };
  }

  /** A new challenge token for `userId`, living {@link MFA_TOKEN_LIFETIME_SECONDS}. */
  issue(userId: string): { token: string; claims: MfaTokenClaims } {
    const iat = Math.floor(this.clock.now() / 1000);
    const claims = { sub: userId, jti: randomUUID(), iat, exp: iat + MFA_TOKEN_LIFETIME_SECONDS };
    const token = this.jwt.sign(
      { iss: this.options.jwtIssuer, aud: `${this.options.jwtAudience}:mfa`, ...claims },
      {
        algorithm: 'HS256',
        header: { alg: 'HS256', typ: MFA_TOKEN_TYPE },
        privateKey: this.key as unknown as Buffer,
      },
    );
    return { token, claims };
  }

  /**
   * The claims of a challenge token this server issued, unexpired.
   * @throws AuthError `TOKEN_INVALID` (not such a token: malformed, another type, a bad signature, foreign claims),
   * `TOKEN_EXPIRED`.
   */
  verify(token: string): MfaTokenClaims {
    const compact = parseCompactToken(token);
    const typ = compact?.header.typ;
    if (
      typeof typ !== 'string' ||
      typ.toLowerCase() !== MFA_TOKEN_TYPE ||
      compact?.header.alg !== 'HS256'
    ) {
      throw new AuthError('TOKEN_INVALID', 'not an mfa challenge token');
    }
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify<Record<string, unknown>>(token, this.verifyOptions);
    } catch {
      throw new AuthError('TOKEN_INVALID', 'mfa challenge token: bad signature');
    }
    const { sub, jti, iat, exp, iss, aud } = payload;
    if (
      typeof sub !== 'string' ||
      typeof jti !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      iss !== this.options.jwtIssuer ||
      aud !== `${this.options.jwtAudience}:mfa`
    ) {
      throw new AuthError('TOKEN_INVALID', 'mfa challenge token: claims');
    }
    if (Math.floor(this.clock.now() / 1000) >= exp) {
      throw new AuthError('TOKEN_EXPIRED', 'mfa challenge token expired');
    }
    return { sub, jti, iat, exp };
  }
}
