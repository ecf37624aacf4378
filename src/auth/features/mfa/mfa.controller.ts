import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../../http/openapi';
import { ADMIN_ROLE } from '../../core/accounts/user-administration';
import type { AuthUser, ClientInfo } from '../../core/model/auth.types';
import { AuthError } from '../../core/errors/auth-error';
import { AuthService } from '../../core/auth.service';
import {
  type HttpRequest,
  type HttpResponse,
  RefreshTokenTransport,
  type TokenResponseBody,
} from '../../http/cookies/refresh-token.transport';
import { Client } from '../../http/decorators/client.decorator';
import { CurrentUser } from '../../http/decorators/current-user.decorator';
import { Public } from '../../http/decorators/public.decorator';
import { Roles } from '../../http/decorators/roles.decorator';
import { ErrorResponse } from '../../http/dto/responses.dto';
import { AuthErrorHandling } from '../../http/errors/auth-errors.interceptor';
import { AuthThrottleGuard } from '../../http/throttling/auth-throttle.guard';
import { ValidatedBody } from '../../http/validation/validated-input.decorators';
import { ReauthenticateDto, TotpCodeDto, VerifyMfaDto } from './mfa.dto';
import { type MfaStatus, MfaService } from './mfa.service';

const NO_STORE = 'no-store';
const STALE =
  'The session authenticated too long ago: re-authenticate (`max_age` in WWW-Authenticate)';

/**
 * The second factor's routes under the module's prefix (the `mfa()` feature): enrolment, recovery codes, the
 * second step of a login, re-authentication (step-up), and an admin's removal of a user's factors.
 */
@ApiTags('mfa')
@AuthErrorHandling()
@Controller('auth')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly auth: AuthService,
    private readonly transport: RefreshTokenTransport,
  ) {}

  @Get('mfa')
  @ApiBearerAuth()
  @ApiOkResponse({ description: '`{ totp, passkeys, recoveryCodesLeft }`' })
  status(@CurrentUser() user: AuthUser): Promise<MfaStatus> {
    return this.mfa.status(user);
  }

  @Post('mfa/totp/setup')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBearerAuth()
  @ApiOkResponse({ description: '`{ secret, otpauthUrl }`, pending until enabled with a code' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  @ApiConflictResponse({ type: ErrorResponse, description: 'TOTP is enabled already' })
  setup(@CurrentUser() user: AuthUser): Promise<{ secret: string; otpauthUrl: string }> {
    return this.mfa.setup(user);
  }

  @UseGuards(AuthThrottleGuard)
  @Post('mfa/totp/enable')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBearerAuth()
  @ApiBody({ type: TotpCodeDto })
  @ApiOkResponse({ description: '`{ recoveryCodes }`: ten single-use codes, shown this once' })
  enable(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(TotpCodeDto) body: TotpCodeDto,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.enable(user, body.code);
  }

  @Delete('mfa/totp')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description: 'Removed; remembered devices forgotten, other sessions revoked',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  async disable(@CurrentUser() user: AuthUser): Promise<void> {
    await this.mfa.disable(user);
  }

  @Post('mfa/recovery-codes')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBearerAuth()
  @ApiOkResponse({ description: '`{ recoveryCodes }`: ten new codes, the old ones void' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  renewRecoveryCodes(@CurrentUser() user: AuthUser): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.renewRecoveryCodes(user);
  }

  @Public()
  @UseGuards(AuthThrottleGuard)
  @Post('mfa/verify')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBody({ type: VerifyMfaDto })
  @ApiOkResponse({ description: 'The token pair, as login, with `acr` `aal2`' })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description: 'A wrong code (`INVALID_MFA_CODE`), or a bad, spent or expired `mfaToken`',
  })
  async verify(
    @ValidatedBody(VerifyMfaDto) body: VerifyMfaDto,
    @Client() client: ClientInfo,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody & { deviceToken?: string }> {
    const { mfaToken, code, recoveryCode, rememberDevice } = body;
    const proof = exactlyOne({ code, recoveryCode });
    const { deviceToken, ...pair } = await this.mfa.verify(
      mfaToken,
      'code' in proof ? { code: proof.code } : { recoveryCode: proof.recoveryCode },
      client,
      rememberDevice === true,
    );
    const delivered = this.transport.deliver(pair, request, response);
    return deviceToken === undefined ? delivered : { ...delivered, deviceToken };
  }

  @UseGuards(AuthThrottleGuard)
  @Post('reauthenticate')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiBearerAuth()
  @ApiBody({ type: ReauthenticateDto })
  @ApiOkResponse({ description: 'A new pair of the same session, `auth_time` now' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'A wrong password or code' })
  async reauthenticate(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(ReauthenticateDto) body: ReauthenticateDto,
    @Client() client: ClientInfo,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody> {
    const proof = exactlyOne({ password: body.password, code: body.code });
    const pair =
      'password' in proof
        ? await this.auth.reauthenticateWithPassword(user, proof.password, client)
        : await this.mfa.reauthenticate(user, proof.code, client);
    return this.transport.deliver(pair, request, response);
  }

  @Delete('admin/users/:id/mfa')
  @Roles(ADMIN_ROLE)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description: "The user's factors removed, every session of theirs revoked",
  })
  async removeFactorsOf(@Param('id') id: string): Promise<void> {
    await this.mfa.removeFactorsOf(id);
  }
}

/**
 * The one field of `fields` that is set, as `{ name: value }`.
 * @throws AuthError `VALIDATION_FAILED` when none or several are.
 */
function exactlyOne<K extends string>(
  fields: Record<K, string | undefined>,
): { [P in K]: Record<P, string> }[K] {
  const given = Object.entries(fields).filter(([, value]) => value !== undefined) as [K, string][];
  if (given.length !== 1) {
    const names = Object.keys(fields).join(' or ');
    throw new AuthError('VALIDATION_FAILED', { message: [`give exactly one of ${names}`] });
  }
  const [[name, value]] = given;
  return { [name]: value } as { [P in K]: Record<P, string> }[K];
}
