import { Controller, Inject, Optional, Post, type Type, UseGuards } from '@nestjs/common';
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
import {
  REGISTRATION_PROFILE,
  type RegisterWithProfile,
  registerDtoFor,
} from '../dto/register-profile';
import { ErrorResponse, UserResponse } from '../dto/responses.dto';
import { AuthErrorHandling } from '../errors/auth-errors.interceptor';
import { ClientRateLimitGuard } from '../guards/client-rate-limit.guard';
import { AuthInputPipe } from '../validation/auth-input.pipe';
import { RawBody } from '../validation/validated-input.decorators';

/** `POST <prefix>/register`: mounted unless the host turns registration off (`routes.registration: false`). */
@ApiTags('auth')
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: 'Malformed JSON, unknown field or wrong type',
})
@AuthErrorHandling()
@Controller('auth')
export class RegistrationController {
  /** The body's validation: with the host's `registrationProfile` under `profile`, if it gives one. */
  private readonly input: AuthInputPipe;

  constructor(
    private readonly auth: AuthService,
    @Optional() @Inject(REGISTRATION_PROFILE) private readonly profile?: Type,
  ) {
    this.input = new AuthInputPipe(registerDtoFor(profile), 'body');
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('register')
  @ApiBody({
    type: RegisterDto,
    description:
      "With the host's registrationProfile extra, also `profile`: an object validated by the host's class",
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Email already registered' })
  async register(@RawBody() raw: unknown): Promise<PublicUser> {
    const body = (await this.input.transform(this.withProfile(raw))) as RegisterWithProfile;
    return this.auth.register(body.email, body.password, undefined, body.profile);
  }

  /**
   * A body without `profile` as one with an empty profile, when the host has a profile class: its required fields
   * are then refused by name (`profile.displayName is required`) rather than the whole profile let through.
   */
  private withProfile(raw: unknown): unknown {
    const plain = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    if (this.profile === undefined || !plain || 'profile' in raw) return raw;
    return { ...raw, profile: {} };
  }
}
