import { Controller, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '../../http/openapi';
import { AccountLifecycle } from './account-lifecycle';
import type { AuthUser } from '../../core/model/auth.types';
import {
  DeviceTokenTransport,
  type RequestWithCookies,
} from '../../http/cookies/device-token.transport';
import type { HttpResponse } from '../../http/cookies/refresh-token.transport';
import { CurrentUser } from '../../http/decorators/current-user.decorator';
import { Public } from '../../http/decorators/public.decorator';
import {
  ChangeEmailDto,
  ForgotPasswordDto,
  MailTokenDto,
  ResetPasswordDto,
} from './account-mail.dto';
import { ErrorResponse } from '../../http/dto/responses.dto';
import { AuthErrorHandling } from '../../http/errors/auth-errors.interceptor';
import { ClientRateLimitGuard } from '../../http/guards/client-rate-limit.guard';
import { ValidatedBody } from '../../http/validation/validated-input.decorators';

const INVALID_TOKEN = 'Invalid or expired token, unknown field or wrong type';

/** What `POST /password/forgot` answers, known address or not. */
export class AcceptedResponse {
  @ApiProperty({ example: 'If the address has an account, a reset link is on its way' })
  message!: string;
}

/**
 * The account lifecycle by mail (the `accountMail()` feature): verification, password reset, email change. Every link mailed holds
 * a single-use token; each route is limited per client, like login, and each mail per recipient (`MailQuota`).
 */
@ApiTags('auth')
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: 'Malformed JSON, unknown field or wrong type',
})
@ApiTooManyRequestsResponse({
  type: ErrorResponse,
  description: 'Too many requests (client or address)',
})
@AuthErrorHandling()
@Controller('auth')
export class AccountMailController {
  constructor(
    private readonly lifecycle: AccountLifecycle,
    private readonly devices: DeviceTokenTransport,
  ) {}

  // On each route, not the class: the module mounts a subclass whose own guards replace the class's.
  @UseGuards(ClientRateLimitGuard)
  @Post('verify-email/request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBearerAuth()
  @ApiAcceptedResponse({
    description: 'A verification link is on its way (none when already verified)',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  async requestVerification(@CurrentUser() user: AuthUser): Promise<void> {
    await this.lifecycle.requestVerification(user);
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBody({ type: MailTokenDto })
  @ApiNoContentResponse({ description: 'The address is verified' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: INVALID_TOKEN })
  async verifyEmail(@ValidatedBody(MailTokenDto) body: MailTokenDto): Promise<void> {
    await this.lifecycle.verifyEmail(body.token);
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBody({ type: ForgotPasswordDto })
  @ApiAcceptedResponse({
    type: AcceptedResponse,
    description: 'The same answer, in the same time, whether or not the address has an account',
  })
  async forgotPassword(
    @ValidatedBody(ForgotPasswordDto) body: ForgotPasswordDto,
  ): Promise<AcceptedResponse> {
    await this.lifecycle.forgotPassword(body.email);
    return { message: 'If the address has an account, a reset link is on its way' };
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('password/reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBody({ type: ResetPasswordDto })
  @ApiNoContentResponse({ description: 'Changed; every session of the user is revoked' })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: `${INVALID_TOKEN}, or a new password outside the policy (the token then stays usable)`,
  })
  async resetPassword(
    @ValidatedBody(ResetPasswordDto) body: ResetPasswordDto,
    @Req() request: RequestWithCookies,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<void> {
    await this.lifecycle.resetPassword(body.token, body.newPassword, {
      code: body.code,
      recoveryCode: body.recoveryCode,
      passkey: body.passkey,
    });
    // A reset forgets the user's remembered devices: the cookie of this browser, if it holds one, goes too.
    this.devices.forget(request, response, 2);
  }

  @UseGuards(ClientRateLimitGuard)
  @Post('email')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBearerAuth()
  @ApiBody({ type: ChangeEmailDto })
  @ApiAcceptedResponse({
    description: 'A confirmation link is on its way to the new address, a notice to the old one',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Current password is incorrect' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Email already registered' })
  async requestEmailChange(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(ChangeEmailDto) body: ChangeEmailDto,
  ): Promise<void> {
    await this.lifecycle.requestEmailChange(user, body.newEmail, body.currentPassword);
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('email/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBody({ type: MailTokenDto })
  @ApiNoContentResponse({ description: 'The address is changed, and verified' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: INVALID_TOKEN })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The address was taken meanwhile' })
  async confirmEmailChange(@ValidatedBody(MailTokenDto) body: MailTokenDto): Promise<void> {
    await this.lifecycle.confirmEmailChange(body.token);
  }
}
