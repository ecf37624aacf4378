import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { AuthUser, ClientInfo } from '../../core/model/auth.types';
import {
  type HttpRequest,
  type HttpResponse,
  RefreshTokenTransport,
  type TokenResponseBody,
} from '../../http/cookies/refresh-token.transport';
import { Client } from '../../http/decorators/client.decorator';
import { CurrentUser } from '../../http/decorators/current-user.decorator';
import { Public } from '../../http/decorators/public.decorator';
import { ErrorResponse } from '../../http/dto/responses.dto';
import { AuthErrorHandling } from '../../http/errors/auth-errors.interceptor';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../../http/openapi';
import { ClientRateLimitGuard } from '../../http/guards/client-rate-limit.guard';
import { ValidatedBody } from '../../http/validation/validated-input.decorators';
import {
  PasskeyLoginDto,
  PasskeyLoginOptionsDto,
  RegisterPasskeyDto,
  RenamePasskeyDto,
} from './passkeys.dto';
import { type PasskeyView, PasskeysService } from './passkeys.service';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from './webauthn';

const NO_STORE = 'no-store';
const STALE =
  'The session authenticated too long ago: re-authenticate (`max_age` in WWW-Authenticate)';

/** The passkeys routes under the module's prefix (the `passkeys()` feature, CONTRACT 4.16). */
@ApiTags('passkeys')
@AuthErrorHandling()
@Controller('auth')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly transport: RefreshTokenTransport,
  ) {}

  @Post('passkeys/register/options')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBearerAuth()
  @ApiOkResponse({ description: '`PublicKeyCredentialCreationOptionsJSON`, for 5 minutes' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  registrationOptions(
    @CurrentUser() user: AuthUser,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.passkeys.registrationOptions(user);
  }

  @Post('passkeys/register')
  @ApiBearerAuth()
  @ApiBody({ type: RegisterPasskeyDto })
  @ApiCreatedResponse({
    description: '`{ id, name, createdAt, lastUsedAt, backedUp, deviceType }`',
  })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'The response was refused' })
  register(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(RegisterPasskeyDto) body: RegisterPasskeyDto,
  ): Promise<PasskeyView> {
    return this.passkeys.register(user, body.response, body.name);
  }

  @Get('passkeys')
  @ApiBearerAuth()
  @ApiOkResponse({ description: "The caller's passkeys" })
  list(@CurrentUser() user: AuthUser): Promise<PasskeyView[]> {
    return this.passkeys.list(user);
  }

  @Patch('passkeys/:id')
  @ApiBearerAuth()
  @ApiBody({ type: RenamePasskeyDto })
  @ApiOkResponse({ description: 'The passkey, renamed' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "Not one of the caller's passkeys" })
  rename(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @ValidatedBody(RenamePasskeyDto) body: RenamePasskeyDto,
  ): Promise<PasskeyView> {
    return this.passkeys.rename(user, id, body.name);
  }

  @Delete('passkeys/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Removed (a factor removed: other sessions revoked)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "Not one of the caller's passkeys" })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.passkeys.remove(user, id);
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('passkeys/login/options')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBody({ type: PasskeyLoginOptionsDto, required: false })
  @ApiOkResponse({ description: '`PublicKeyCredentialRequestOptionsJSON`, for 5 minutes' })
  authenticationOptions(
    @ValidatedBody(PasskeyLoginOptionsDto) body: PasskeyLoginOptionsDto,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.authenticationOptions(body.mfaToken);
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('passkeys/login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBody({ type: PasskeyLoginDto })
  @ApiOkResponse({ description: 'The token pair, as login' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'The assertion was refused' })
  async login(
    @ValidatedBody(PasskeyLoginDto) body: PasskeyLoginDto,
    @Client() client: ClientInfo,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody> {
    const pair = await this.passkeys.login(body.response, client);
    return this.transport.deliver(pair, request, response);
  }
}
