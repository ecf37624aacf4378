import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt } from 'passport-jwt';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth.options';
import { chooseRefreshCookie } from '../cookies/choose-refresh-cookie';
import { AuthError } from '../errors/auth-error';
import { readRefreshCookies } from '../cookies/refresh-cookie';
import type { RefreshTokenClaims } from '../tokens/token.types';
import { assertInputDepth } from '../validation/nesting-depth';
import { TokenService } from '../tokens/token.service';
import { JwtStrategy } from './jwt.strategy';

const fromBearerHeader = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * The refresh token from the JSON body (`refreshToken`), else `Authorization: Bearer`, else (cookie transport)
 * the refresh cookie: of several, the one `chooseRefreshCookie` picks with `verify`.
 */
export function extractRefreshToken(
  request: { body?: unknown; headers: Record<string, string | string[] | undefined> },
  fromCookie: false | ((token: string) => { iat: number } | undefined),
): string | null {
  const body = request.body;
  // Guards run before the module's input pipe: too deep a body is refused here already, as on every other route.
  assertInputDepth(body, 'body');
  if (typeof body === 'object' && body !== null && 'refreshToken' in body) {
    const token = body.refreshToken;
    // Guards run before validation pipes: a wrong type must still be a 400 naming the field, not a 401.
    if (typeof token !== 'string') {
      throw new AuthError('VALIDATION_FAILED', { message: ['refreshToken must be a string'] });
    }
    return token;
  }
  const bearer = fromBearerHeader(request);
  if (bearer) return bearer;
  if (fromCookie === false) return null;
  return chooseRefreshCookie(readRefreshCookies(request.headers.cookie), fromCookie) ?? null;
}

/**
 * Passport strategy `jwt-refresh`: a refresh token, verified like an access token but with the refresh key and
 * `typ`. Whether it is spent, reused or its session alive is the rotation's business (AuthService.refresh).
 */
@Injectable()
export class RefreshTokenStrategy extends PassportStrategy(JwtStrategy, 'jwt-refresh') {
  constructor(tokens: TokenService, @Inject(AUTH_OPTIONS) options: ResolvedAuthOptions) {
    // A cookie this server did not sign (or no longer accepts) is not a candidate.
    const verified = (token: string) => tokens.tryVerify('refresh', token);
    const fromCookie = options.refreshTransport !== 'body' && verified;
    super({
      jwtFromRequest: (request: Parameters<typeof extractRefreshToken>[0]) =>
        extractRefreshToken(request, fromCookie),
      verifyToken: (token) => tokens.verify('refresh', token),
      missingToken: 'refresh_token_missing',
    });
  }

  /** The claims, checked by `verifyToken` already. */
  validate(claims: RefreshTokenClaims): RefreshTokenClaims {
    return claims;
  }
}
