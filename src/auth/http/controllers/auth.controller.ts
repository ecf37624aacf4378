import {
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../openapi';
import { AuthService } from '../../core/auth.service';
import type { AuthUser, ClientInfo } from '../../core/model/auth.types';
import {
  type HttpRequest,
  type HttpResponse,
  RefreshTokenTransport,
  type TokenResponseBody,
} from '../cookies/refresh-token.transport';
import { readRefreshCookies } from '../cookies/refresh-cookie';
import { DeviceTokenTransport, type RequestWithCookies } from '../cookies/device-token.transport';
import { AllowRevokedSession } from '../decorators/allow-revoked-session.decorator';
import { Client } from '../decorators/client.decorator';
import { RecentAuthentication } from '../recent-authentication';
import { CurrentUser } from '../decorators/current-user.decorator';
import { Public } from '../decorators/public.decorator';
import { RefreshClaims } from '../decorators/refresh-claims.decorator';
import { RefreshTokenInstead } from '../decorators/refresh-token-instead.decorator';
import { LoginDto } from '../dto/credentials.dto';
import { LOGOUT_SCOPES, LogoutQueryDto } from '../dto/logout-query.dto';
import { RefreshDto } from '../dto/refresh.dto';
import { ErrorResponse, TokenResponse } from '../dto/responses.dto';
import { AuthError } from '../../core/errors/auth-error';
import { AuthErrorHandling } from '../errors/auth-errors.interceptor';
import { RefreshTokenGuard } from '../guards/refresh-token.guard';
import { ClientRateLimitGuard } from '../guards/client-rate-limit.guard';
import type { RefreshTokenClaims } from '../../core/model/token.types';
import { ValidatedBody, ValidatedQuery } from '../validation/validated-input.decorators';

/** Whatever carries a token must not be kept by a browser or a proxy (RFC 6749 §5.1). */
const NO_STORE = 'no-store';

/** `POST <prefix>/login`, `/refresh` and `/logout`: always mounted. */
@ApiTags('auth')
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: 'Malformed JSON, unknown field or wrong type',
})
@AuthErrorHandling()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly transport: RefreshTokenTransport,
    private readonly recent: RecentAuthentication,
    private readonly devices: DeviceTokenTransport,
  ) {}

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponse, description: 'Starts a session' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid credentials' })
  async login(
    @ValidatedBody(LoginDto) body: LoginDto,
    @Client() client: ClientInfo,
    @Req() request: RequestWithCookies,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody | Readonly<Record<string, unknown>>> {
    const deviceToken = this.devices.read(request, body.deviceToken);
    const result = await this.auth.login(body.email, body.password, client, deviceToken);
    // A challenge (a second factor) opens no session: no token to deliver, no cookie to set.
    if ('challenge' in result) return result.challenge;
    return this.transport.deliver(result, request, response);
  }

  @Public()
  // Counted before the token is even read: a flood of bad tokens is limited too.
  @UseGuards(ClientRateLimitGuard, RefreshTokenGuard)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBody({ type: RefreshDto, required: false })
  @ApiBearerAuth()
  @ApiOkResponse({
    type: TokenResponse,
    description: 'A new pair; the presented refresh token is spent',
  })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description: 'Missing, invalid, expired, revoked or reused token',
  })
  async refresh(
    // Validated for its shape only (unknown fields, types); the guard has already read the token.
    @ValidatedBody(RefreshDto) _body: RefreshDto,
    @RefreshClaims() claims: RefreshTokenClaims,
    @Client() client: ClientInfo,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody> {
    const tokens = await this.auth.refresh(claims, client);
    return this.transport.deliver(tokens, request, response);
  }

  @AllowRevokedSession()
  @RefreshTokenInstead()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiQuery({ name: 'scope', required: false, enum: LOGOUT_SCOPES })
  @ApiNoContentResponse({
    description:
      'Revoked. Without an access token, the refresh token (body or cookie) ends its own session; a token of an ' +
      'already revoked session, or a spent, expired or foreign refresh token, gets 204 and changes nothing',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  async logout(
    @CurrentUser() user: AuthUser | undefined,
    @ValidatedQuery(LogoutQueryDto) query: LogoutQueryDto,
    @ValidatedBody(RefreshDto) body: RefreshDto,
    @Req() request: RequestWithCookies,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<void> {
    if (user !== undefined) {
      // Ending other sessions is sensitive (a thief would sign the owner out): a recent authentication, if asked.
      const others = query.scope === 'others' || query.scope === 'global';
      if (others && user.sessionRevoked !== true) this.recent.assert(user);
      await this.auth.logout(user, query.scope);
      // A global logout forgets the user's remembered devices: this one's cookie goes too.
      if (query.scope === 'global') this.devices.forget(request, response, 1);
    } else {
      // The access guard let the request through for the refresh token it carries: that token's session only.
      if (query.scope !== undefined && query.scope !== 'local') {
        throw new AuthError('VALIDATION_FAILED', {
          message: `scope=${query.scope} needs an access token; a refresh token ends its own session only`,
        });
      }
      const fromCookies = this.transport.acceptsCookie
        ? readRefreshCookies(request.headers.cookie)
        : [];
      await this.auth.logoutWithRefreshToken(
        body.refreshToken !== undefined ? [body.refreshToken] : fromCookies,
      );
    }
    this.transport.clear(request, response);
  }
}
