import { Controller, Get, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '../openapi';
import { AuthService } from '../../core/auth.service';
import type { AuthUser, PublicUser } from '../../core/model/auth.types';
import { DeviceTokenTransport, type RequestWithCookies } from '../cookies/device-token.transport';
import type { HttpResponse } from '../cookies/refresh-token.transport';
import { CurrentUser } from '../decorators/current-user.decorator';
import { ChangePasswordDto } from '../dto/credentials.dto';
import { ErrorResponse, UserResponse } from '../dto/responses.dto';
import { AuthErrorHandling } from '../errors/auth-errors.interceptor';
import { ClientRateLimitGuard } from '../guards/client-rate-limit.guard';
import { ValidatedBody } from '../validation/validated-input.decorators';

/** The 429 of the routes that check the caller's password. */
export const RATE_LIMITED =
  'Too many requests from this client, or too many wrong passwords for this account (as at login)';

/** `GET <prefix>/me` and `POST <prefix>/password`: the signed-in user's own account (`routes.account`). */
@ApiTags('auth')
// Once, here: on a method as well, OpenAPI would list the requirement twice.
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse })
@AuthErrorHandling()
@Controller('auth')
export class AccountController {
  constructor(
    private readonly auth: AuthService,
    private readonly devices: DeviceTokenTransport,
  ) {}

  @Get('me')
  @ApiOkResponse({ type: UserResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  me(@CurrentUser() user: AuthUser): Promise<PublicUser> {
    return this.auth.me(user);
  }

  // Limited per client as login is: each call checks a password.
  @UseGuards(ClientRateLimitGuard)
  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBody({ type: ChangePasswordDto })
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is revoked' })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Unknown field, wrong type, or a new password outside the policy',
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Current password is incorrect' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: RATE_LIMITED })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(ChangePasswordDto) body: ChangePasswordDto,
    @Req() request: RequestWithCookies,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<void> {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword);
    // The user's remembered devices are forgotten: this one's cookie goes too.
    this.devices.forget(request, response, 1);
  }
}
