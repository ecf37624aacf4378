import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../http/openapi';
import { Public } from '../../http/decorators/public.decorator';
import { AuthErrorHandling } from '../../http/errors/auth-errors.interceptor';
import type { JsonWebKeySet } from '../../core/tokens/access-keys';
import { TokenService } from '../../core/tokens/token.service';

/**
 * Long enough that a busy verifier does not fetch the keys on every token, short enough that a key added for a
 * rotation is seen within minutes (docs/sessions.md: "Key rotation, step by step").
 */
const CACHE_CONTROL = 'public, max-age=300';

/**
 * `GET /.well-known/jwks.json`: the public keys of access tokens (RFC 7517), at the well-known place rather than under
 * the module's prefix, so that other services verify access tokens with no shared secret. With HS256 the set is
 * empty: the key is a secret and is never published, and an empty set is still a valid answer for a probing client.
 */
@ApiTags('auth')
@AuthErrorHandling()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', CACHE_CONTROL)
  @ApiOkResponse({
    description:
      'JWK Set of the current and previous public keys (kid = RFC 7638 thumbprint); empty with HS256',
  })
  jwks(): JsonWebKeySet {
    return this.tokens.jwks();
  }
}
