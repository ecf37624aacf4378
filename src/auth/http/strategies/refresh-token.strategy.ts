import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { bearerTokenOf } from '../../contexts/bearer-token';
import { chooseRefreshCookie } from '../../core/sessions/choose-refresh-cookie';
import { readRefreshCookies } from '../cookies/refresh-cookie';
import { AuthError, type TokenRejectedError } from '../../core/errors/auth-error';
import type { RefreshTokenClaims } from '../../core/model/token.types';
import { assertInputDepth } from '../validation/nesting-depth';
import { TokenService } from '../../core/tokens/token.service';
import { JwtStrategy } from './jwt.strategy';

/** What the refresh token is read from. */
export interface RefreshRequest {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The verified claims of the request's refresh token: the JSON body's `refreshToken`, else `Authorization: Bearer`,
 * else (when `cookies`) the refresh cookie, of several the one {@link chooseRefreshCookie} picks. Every token read
 * is verified exactly once: the chosen cookie's claims are the ones its choice verified.
 * @throws AuthError `VALIDATION_FAILED` for a body too deep or a `refreshToken` that is no string; AuthError
 * `refresh_token_missing` without a token; TokenRejectedError for a token refused.
 */
export function refreshTokenClaimsOf(
  request: RefreshRequest,
  tokens: Pick<TokenService, 'verify' | 'check'>,
  cookies: boolean,
): RefreshTokenClaims {
  const body = request.body;
  // Guards run before the module's input pipe: too deep a body is refused here already, as on every other route.
  assertInputDepth(body, 'body');
  let token: string | null = null;
  if (typeof body === 'object' && body !== null && 'refreshToken' in body) {
    // Guards run before validation pipes: a wrong type must still be a 400 naming the field, not a 401.
    if (typeof body.refreshToken !== 'string') {
      throw new AuthError('VALIDATION_FAILED', { message: ['refreshToken must be a string'] });
    }
    token = body.refreshToken;
  } else {
    token = bearerTokenOf(request.headers);
  }
  if (token === null && cookies) {
    const chosen = chooseRefreshCookie<RefreshTokenClaims, TokenRejectedError>(
      readRefreshCookies(request.headers.cookie),
      (value) => tokens.check('refresh', value),
    );
    if (chosen instanceof Error) throw chosen;
    if (chosen !== undefined) return chosen;
  }
  if (!token) throw new AuthError('refresh_token_missing', 'no refresh token in the request');
  return tokens.verify('refresh', token);
}

/**
 * Passport strategy `jwt-refresh`: a refresh token, verified like an access token but with the refresh key and
 * `typ`, once. Whether it is spent, reused or its session alive is the rotation's business (AuthService.refresh).
 */
@Injectable()
export class RefreshTokenStrategy extends PassportStrategy(JwtStrategy, 'jwt-refresh') {
  constructor(tokens: TokenService, @Inject(AUTH_OPTIONS) options: ResolvedAuthOptions) {
    const cookies = options.refreshTransport !== 'body';
    super({
      verifyRequest: (request: RefreshRequest) => refreshTokenClaimsOf(request, tokens, cookies),
    });
  }

  /** The claims, checked by `verifyRequest` already. */
  validate(claims: RefreshTokenClaims): RefreshTokenClaims {
    return claims;
  }
}
