import { Controller, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiTags,
} from '../openapi';
import { AuthService } from '../../core/auth.service';
import type { PublicUser } from '../../core/model/auth.types';
import { Public } from '../decorators/public.decorator';
import { RegisterDto } from '../dto/credentials.dto';
import { ErrorResponse, UserResponse } from '../dto/responses.dto';
import { AuthErrorHandling } from '../errors/auth-errors.interceptor';
import { ClientRateLimitGuard } from '../guards/client-rate-limit.guard';
import { ValidatedBody } from '../validation/validated-input.decorators';

/** `POST <prefix>/register`: mounted unless the host turns registration off (`routes.registration: false`). */
@ApiTags('auth')
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: 'Malformed JSON, unknown field or wrong type',
})
@AuthErrorHandling()
@Controller('auth')
export class RegistrationController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('register')
  @ApiBody({ type: RegisterDto })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Email already registered' })
  register(@ValidatedBody(RegisterDto) body: RegisterDto): Promise<PublicUser> {
    return this.auth.register(body.email, body.password);
  }
}
