import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthService } from '../auth.service';
import type { AuthUser, PublicUser } from '../auth.types';
import { CurrentUser } from '../decorators/current-user.decorator';
import { ChangePasswordDto } from '../dto/credentials.dto';
import { ErrorResponse, UserResponse } from '../dto/responses.dto';
import { AuthErrorFilters } from '../errors/auth-error-filters';
import { ValidatedBody } from '../validation/validated-input.decorators';

/** `GET <prefix>/me` and `POST <prefix>/password`: the signed-in user's own account (`routes.account`). */
@ApiTags('auth')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse })
@AuthErrorFilters()
@Controller('auth')
export class AccountController {
  constructor(private readonly auth: AuthService) {}

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  me(@CurrentUser() user: AuthUser): Promise<PublicUser> {
    return this.auth.me(user);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiBody({ type: ChangePasswordDto })
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is revoked' })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Unknown field, wrong type, or a new password outside the policy',
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Current password is incorrect' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(ChangePasswordDto) body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword);
  }
}
