import { Controller, Delete, HttpCode, HttpStatus, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '../openapi';
import { AuthService } from '../../core/auth.service';
import type { AuthUser } from '../../core/model/auth.types';
import { DeviceTokenTransport, type RequestWithCookies } from '../cookies/device-token.transport';
import type { HttpResponse } from '../cookies/refresh-token.transport';
import { CurrentUser } from '../decorators/current-user.decorator';
import { DeleteAccountDto } from '../dto/credentials.dto';
import { ErrorResponse } from '../dto/responses.dto';
import { AuthErrorHandling } from '../errors/auth-errors.interceptor';
import { ClientRateLimitGuard } from '../guards/client-rate-limit.guard';
import { ValidatedBody } from '../validation/validated-input.decorators';
import { RATE_LIMITED } from './account.controller';

/**
 * `DELETE <prefix>/account`: the signed-in user deletes their own account (`routes.accountDeletion`, which needs
 * a user store with the administration methods).
 */
@ApiTags('auth')
// Once, here: on a method as well, OpenAPI would list the requirement twice.
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse })
@AuthErrorHandling()
@Controller('auth')
export class AccountDeletionController {
  constructor(
    private readonly auth: AuthService,
    private readonly devices: DeviceTokenTransport,
  ) {}

  @UseGuards(ClientRateLimitGuard)
  @Delete('account')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBody({ type: DeleteAccountDto })
  @ApiNoContentResponse({
    description: 'Deleted: every session revoked at once, the address free to register again',
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Current password is incorrect' })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'LAST_ADMIN: the caller is the last active admin',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: RATE_LIMITED })
  async deleteAccount(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(DeleteAccountDto) body: DeleteAccountDto,
    @Req() request: RequestWithCookies,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<void> {
    await this.auth.deleteAccount(user, body.currentPassword);
    // A deleted user's remembered devices are gone: this one's cookie goes too.
    this.devices.forget(request, response, 1);
  }
}
