import { ApiProperty, ApiPropertyOptional } from '../../http/openapi';
import {
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsText } from '../../http/dto/is-text.validator';
import { TokenResponse } from '../../http/dto/responses.dto';

/** Far above an `mfaToken`'s length: anything longer is no token of ours. */
const MAX_TOKEN_LENGTH = 2048;
/** A recovery code is 19 characters; room for spaces a user typed. */
const MAX_RECOVERY_CODE_LENGTH = 64;
const SIX_DIGITS = /^\d{6}$/;

/** `{ code }`: a TOTP code, six digits. */
export class TotpCodeDto {
  @ApiProperty({ example: '123456', description: 'Six digits from the authenticator app' })
  @IsString()
  @Matches(SIX_DIGITS, { message: 'code must be six digits' })
  code!: string;
}

/** What the passkeys feature takes as an assertion (`AuthenticationResponseJSON`); it checks the inside. */
const PASSKEY_DESCRIPTION =
  "A passkey's assertion (`AuthenticationResponseJSON`), for options from `POST <prefix>/passkeys/login/options`";

/**
 * `POST <prefix>/mfa/verify`: the login's `mfaToken` and a TOTP `code`, a `recoveryCode` or a `passkey` (exactly
 * one).
 */
export class VerifyMfaDto {
  @ApiProperty({ description: 'The `mfaToken` the login answered' })
  @IsText()
  @IsNotEmpty()
  @MaxLength(MAX_TOKEN_LENGTH)
  mfaToken!: string;

  @ApiPropertyOptional({ example: '123456' })
  @ValidateIf(
    (body: VerifyMfaDto) =>
      (body.recoveryCode === undefined && body.passkey === undefined) || body.code !== undefined,
  )
  @IsString({ message: 'code, recoveryCode or passkey is required' })
  @Matches(SIX_DIGITS, { message: 'code must be six digits' })
  code?: string;

  @ApiPropertyOptional({ example: 'abcd-efgh-jkmn-pqrs' })
  @IsOptional()
  @IsText()
  @IsNotEmpty()
  @MaxLength(MAX_RECOVERY_CODE_LENGTH)
  recoveryCode?: string;

  @ApiPropertyOptional({ description: PASSKEY_DESCRIPTION })
  @IsOptional()
  @IsObject()
  passkey?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'Remember this device: the answer carries a `deviceToken` that skips the second factor at login',
  })
  @IsOptional()
  @IsBoolean()
  rememberDevice?: boolean;
}

/** `POST <prefix>/reauthenticate`: the password, a TOTP code or a passkey (exactly one). */
export class ReauthenticateDto {
  @ApiPropertyOptional()
  @ValidateIf(
    (body: ReauthenticateDto) =>
      (body.code === undefined && body.passkey === undefined) || body.password !== undefined,
  )
  @IsString({ message: 'password, code or passkey is required' })
  @IsNotEmpty()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @IsString()
  @Matches(SIX_DIGITS, { message: 'code must be six digits' })
  code?: string;

  @ApiPropertyOptional({ description: PASSKEY_DESCRIPTION })
  @IsOptional()
  @IsObject()
  passkey?: Record<string, unknown>;
}

/** `GET <prefix>/mfa`, for the OpenAPI document. */
export class MfaStatusResponse {
  @ApiProperty({ description: 'Whether TOTP is enabled' }) totp!: boolean;
  @ApiProperty({ description: 'Passkeys registered (0 without the passkeys feature)' })
  passkeys!: number;
  @ApiProperty({ description: 'Unused recovery codes' }) recoveryCodesLeft!: number;
}

/** `POST <prefix>/mfa/totp/setup`, for the OpenAPI document. */
export class TotpSetupResponse {
  @ApiProperty({ description: 'Base32, 160 bits: for typing into an app', example: 'JBSWY3DP…' })
  secret!: string;
  @ApiProperty({
    description: 'The `otpauth://totp/…` URI (SHA-1, 6 digits, 30 s): for a QR code',
  })
  otpauthUrl!: string;
}

/** Ten recovery codes, shown once: for the OpenAPI document. */
export class RecoveryCodesResponse {
  @ApiProperty({ type: [String], example: ['abcd-efgh-jkmn-pqrs'] })
  recoveryCodes!: string[];
}

/** `POST <prefix>/mfa/verify`: the token pair as login answers it, and a remembered device's token. */
export class VerifiedResponse extends TokenResponse {
  @ApiPropertyOptional({
    description:
      "With `rememberDevice`: send it back as the login's `deviceToken` to skip the second factor. In cookie transport an HttpOnly cookie `device_token` instead (in `both`, the cookie and this field)",
  })
  deviceToken?: string;
}
