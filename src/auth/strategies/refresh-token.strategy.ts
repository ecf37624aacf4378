import { BadRequestException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { RefreshTokenClaims } from '../tokens/token.types';
import { TokenService } from '../tokens/token.service';
import { keyProvider } from './key-provider';

const fromBearerHeader = ExtractJwt.fromAuthHeaderAsBearerToken();

/** The refresh token from the JSON body (`refreshToken`) or, failing that, `Authorization: Bearer`. */
export function extractRefreshToken(request: { body?: unknown }): string | null {
  const body = request.body;
  if (typeof body === 'object' && body !== null && 'refreshToken' in body) {
    const token = body.refreshToken;
    // Guards run before validation pipes: a wrong type must still be a 400 naming the field, not a 401.
    if (typeof token !== 'string') throw new BadRequestException(['refreshToken must be a string']);
    return token;
  }
  return fromBearerHeader(request);
}

/**
 * Passport strategy `jwt-refresh`: a refresh token, verified like an access token but with the refresh key and
 * `typ`. Whether it is spent, reused or its session alive is the rotation's business (AuthService.refresh).
 */
@Injectable()
export class RefreshTokenStrategy extends PassportStrategy(Strategy, 'jwt-refresh') {
  constructor(private readonly tokens: TokenService) {
    const { ignoreNotBefore, ...verifyOptions } = tokens.verifyOptions();
    super({
      jwtFromRequest: extractRefreshToken,
      secretOrKeyProvider: keyProvider(tokens, 'refresh'),
      ...verifyOptions,
      jsonWebTokenOptions: { ignoreNotBefore },
    });
  }

  validate(payload: unknown): RefreshTokenClaims {
    return this.tokens.assertClaims('refresh', payload);
  }
}
