import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
} from '@nestjs/swagger';
import { AuthService } from './auth.service';
import type { AuthUser, ClientInfo, PublicUser, SessionView, TokenPair } from './auth.types';
import { AllowRevokedSession } from './decorators/allow-revoked-session.decorator';
import { Client } from './decorators/client.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { RefreshClaims } from './decorators/refresh-claims.decorator';
import { ChangePasswordDto, LoginDto, RegisterDto } from './dto/credentials.dto';
import { LogoutQueryDto } from './dto/logout-query.dto';
import { RefreshDto } from './dto/refresh.dto';
import { ErrorResponse, SessionResponse, TokenResponse, UserResponse } from './dto/responses.dto';
import { RefreshTokenGuard } from './guards/refresh-token.guard';
import type { RefreshTokenClaims } from './tokens/token.types';

/** Whatever carries a token must not be kept by a browser or a proxy (RFC 6749 §5.1). */
const NO_STORE = 'no-store';

@ApiTags('auth')
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: 'Malformed JSON, unknown field or wrong type',
})
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Email already registered' })
  register(@Body() body: RegisterDto): Promise<PublicUser> {
    return this.auth.register(body.email, body.password);
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiOkResponse({ type: TokenResponse, description: 'Starts a session' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid credentials' })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<TokenPair> {
    return this.auth.login(body.email, body.password, client);
  }

  @Public()
  @UseGuards(RefreshTokenGuard)
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
  refresh(
    // Validated for its shape only (unknown fields, types); the guard has already read the token.
    @Body() _body: RefreshDto,
    @RefreshClaims() claims: RefreshTokenClaims,
    @Client() client: ClientInfo,
  ): Promise<TokenPair> {
    return this.auth.refresh(claims, client);
  }

  @AllowRevokedSession()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description: 'Revoked; a token of an already revoked session gets 204 and changes nothing',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  async logout(@CurrentUser() user: AuthUser, @Query() query: LogoutQueryDto): Promise<void> {
    await this.auth.logout(user, query.scope);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  me(@CurrentUser() user: AuthUser): Promise<PublicUser> {
    return this.auth.me(user);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: [SessionResponse],
    description: "The caller's live sessions, newest first",
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  sessions(@CurrentUser() user: AuthUser): Promise<SessionView[]> {
    return this.auth.listSessions(user);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Not a live session of the caller' })
  async revokeSession(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.auth.revokeSession(user, id);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is revoked' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Current password is incorrect' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword);
  }
}
