import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
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
import {
  DeviceTokenTransport,
  type RequestWithCookies,
} from '../../http/cookies/device-token.transport';
import { Client } from '../../http/decorators/client.decorator';
import { CurrentUser } from '../../http/decorators/current-user.decorator';
import { Public } from '../../http/decorators/public.decorator';
import { Roles } from '../../http/decorators/roles.decorator';
import { ErrorResponse } from '../../http/dto/responses.dto';
import { AuthErrorHandling } from '../../http/errors/auth-errors.interceptor';
import { ClientRateLimitGuard } from '../../http/guards/client-rate-limit.guard';
import { ValidatedBody } from '../../http/validation/validated-input.decorators';
import {
  MfaStatusResponse,
  ReauthenticateDto,
  RecoveryCodesResponse,
  TotpCodeDto,
  TotpSetupResponse,
  VerifiedResponse,
  VerifyMfaDto,
} from './mfa.dto';
import { TokenResponse } from '../../http/dto/responses.dto';
import { type MfaStatus, MfaService } from './mfa.service';
import { MFA_OPTIONS, type ResolvedMfaOptions } from './mfa.options';

/** `<base>/mfa/verify`, `<base>/mfa/totp`: two segments below the module's base, where its cookies are scoped. */
const MFA_ROUTE_DEPTH = 2;

const NO_STORE = 'no-store';
/** The 401s of a route behind a recent authentication (CONTRACT 4.15), with their codes. */
const STALE =
  'No valid access token (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `TOKEN_REVOKED`), or a session that authenticated too long ago (`INSUFFICIENT_USER_AUTHENTICATION`, `max_age` in WWW-Authenticate): re-authenticate';
const SIGNED_IN = 'No valid access token (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `TOKEN_REVOKED`)';
const MALFORMED = 'Malformed JSON, unknown field or wrong type (`VALIDATION_FAILED`)';
const SLOWED =
  'Too many requests from this client, or too many wrong passwords and codes for this account (`RATE_LIMITED`, `Retry-After`)';

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
    private readonly devices: DeviceTokenTransport,
    @Inject(MFA_OPTIONS) private readonly options: ResolvedMfaOptions,
  ) {}

  @Get('mfa')
  @ApiOperation({ summary: "The caller's second factors" })
  @ApiBearerAuth()
  @ApiOkResponse({
    type: MfaStatusResponse,
    description: '`{ totp, passkeys, recoveryCodesLeft }`',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: SIGNED_IN })
  status(@CurrentUser() user: AuthUser): Promise<MfaStatus> {
    return this.mfa.status(user);
  }

  @Post('mfa/totp/setup')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Start a TOTP enrolment (recent authentication)' })
  @ApiBearerAuth()
  @ApiOkResponse({
    type: TotpSetupResponse,
    description: '`{ secret, otpauthUrl }`, pending until enabled with a code',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'TOTP is enabled already (`MFA_ALREADY_ENABLED`)',
  })
  setup(@CurrentUser() user: AuthUser): Promise<{ secret: string; otpauthUrl: string }> {
    return this.mfa.setup(user);
  }

  @UseGuards(ClientRateLimitGuard)
  @Post('mfa/totp/enable')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Enable the pending TOTP factor with a first code' })
  @ApiBearerAuth()
  @ApiBody({ type: TotpCodeDto })
  @ApiOkResponse({
    type: RecoveryCodesResponse,
    description:
      '`{ recoveryCodes }`: ten single-use codes, shown this once. Every other session of the user is revoked',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: `A wrong code (\`INVALID_MFA_CODE\`); ${MALFORMED}`,
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: SIGNED_IN })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'No pending setup (`MFA_NOT_ENABLED`)',
  })
  enable(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(TotpCodeDto) body: TotpCodeDto,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.enable(user, body.code);
  }

  @Delete('mfa/totp')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove the TOTP factor (recent authentication)' })
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description:
      'Removed with its recovery codes; remembered devices forgotten (the device cookie cleared), other sessions revoked',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  @ApiConflictResponse({ type: ErrorResponse, description: 'No TOTP factor (`MFA_NOT_ENABLED`)' })
  async disable(
    @CurrentUser() user: AuthUser,
    @Req() request: RequestWithCookies,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<void> {
    await this.mfa.disable(user);
    this.devices.forget(request, response, MFA_ROUTE_DEPTH);
  }

  @Post('mfa/recovery-codes')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Ten new recovery codes (recent authentication)' })
  @ApiBearerAuth()
  @ApiOkResponse({
    type: RecoveryCodesResponse,
    description: '`{ recoveryCodes }`: ten new codes, the old ones void',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: STALE })
  @ApiConflictResponse({ type: ErrorResponse, description: 'No TOTP factor (`MFA_NOT_ENABLED`)' })
  renewRecoveryCodes(@CurrentUser() user: AuthUser): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.renewRecoveryCodes(user);
  }

  @Public()
  @UseGuards(ClientRateLimitGuard)
  @Post('mfa/verify')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: "Meet a login's second-factor challenge" })
  @ApiBody({ type: VerifyMfaDto })
  @ApiOkResponse({
    type: VerifiedResponse,
    description:
      'The token pair, as login, with `acr` `aal2`; a `deviceToken` with `rememberDevice`',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: `None or both of \`code\` and \`recoveryCode\`; ${MALFORMED}`,
  })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description:
      'A wrong or spent code (`INVALID_MFA_CODE`), or a bad, spent, dead or expired `mfaToken` (`TOKEN_INVALID`, `TOKEN_EXPIRED`): log in again',
  })
  @ApiForbiddenResponse({
    type: ErrorResponse,
    description: 'A disabled account (`ACCOUNT_DISABLED`)',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: SLOWED })
  async verify(
    @ValidatedBody(VerifyMfaDto) body: VerifyMfaDto,
    @Client() client: ClientInfo,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody & { deviceToken?: string }> {
    const { mfaToken, code, recoveryCode, passkey, rememberDevice } = body;
    const { deviceToken, ...pair } = await this.mfa.verify(
      mfaToken,
      exactlyOne({ code, recoveryCode, passkey }),
      client,
      rememberDevice === true,
    );
    const delivered = this.transport.deliver(pair, request, response, MFA_ROUTE_DEPTH);
    if (deviceToken === undefined) return delivered;
    const inBody = this.devices.deliver(
      deviceToken,
      this.options.rememberDeviceSeconds,
      request,
      response,
      MFA_ROUTE_DEPTH,
    );
    return inBody === undefined ? delivered : { ...delivered, deviceToken: inBody };
  }

  @UseGuards(ClientRateLimitGuard)
  @Post('reauthenticate')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Re-authenticate the session (step-up)' })
  @ApiBearerAuth()
  @ApiBody({ type: ReauthenticateDto })
  @ApiOkResponse({
    type: TokenResponse,
    description: 'A new pair of the same session, `auth_time` now (`acr` `aal2` after a code)',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: `None or both of \`password\` and \`code\`; ${MALFORMED}`,
  })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description: `A wrong password (\`INVALID_CREDENTIALS\`) or code (\`INVALID_MFA_CODE\`); ${SIGNED_IN}`,
  })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'A code without a TOTP factor (`MFA_NOT_ENABLED`)',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: SLOWED })
  async reauthenticate(
    @CurrentUser() user: AuthUser,
    @ValidatedBody(ReauthenticateDto) body: ReauthenticateDto,
    @Client() client: ClientInfo,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<TokenResponseBody> {
    const proof = exactlyOne({ password: body.password, code: body.code, passkey: body.passkey });
    const pair =
      'password' in proof
        ? await this.auth.reauthenticateWithPassword(user, proof.password, client)
        : await this.mfa.reauthenticate(user, proof, client);
    return this.transport.deliver(pair, request, response);
  }

  @Delete('admin/users/:id/mfa')
  @Roles(ADMIN_ROLE)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "An admin removes a user's second factors" })
  @ApiBearerAuth()
  @ApiNoContentResponse({
    description: "The user's factors removed, every session of theirs revoked",
  })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description: `${SIGNED_IN}; \`INSUFFICIENT_USER_AUTHENTICATION\` where admins need \`aal2\``,
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Not an admin (`INSUFFICIENT_ROLE`)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such user (`USER_NOT_FOUND`)' })
  async removeFactorsOf(@Param('id') id: string): Promise<void> {
    await this.mfa.removeFactorsOf(id);
  }
}

/**
 * The one field of `fields` that is set, as `{ name: value }`.
 * @throws AuthError `VALIDATION_FAILED` when none or several are.
 */
function exactlyOne<F extends Record<string, unknown>>(
  fields: F,
): { [P in keyof F]: Record<P, Exclude<F[P], undefined>> }[keyof F] {
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (given.length !== 1) {
    const names = Object.keys(fields).join(' or ');
    throw new AuthError('VALIDATION_FAILED', { message: [`give exactly one of ${names}`] });
  }
  const [[name, value]] = given;
  return { [name]: value } as { [P in keyof F]: Record<P, Exclude<F[P], undefined>> }[keyof F];
}
