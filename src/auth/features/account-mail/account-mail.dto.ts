import { ApiProperty, ApiPropertyOptional } from '../../http/openapi';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MIN_PASSWORD_CHARACTERS } from '../../core/passwords/password-policy';
import { IsEmailAddress } from '../../http/dto/is-email-address.validator';
import { IsText } from '../../http/dto/is-text.validator';
import { IsAcceptablePassword } from '../../http/dto/password-policy.validator';

/** RFC 5321's limit on a forward path. */
const MAX_EMAIL_LENGTH = 254;
/** Far above a mail token's 43 characters: anything longer is no token of ours. */
const MAX_TOKEN_LENGTH = 512;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `{ token }` of a mailed link: `POST /verify-email`, `POST /email/confirm`. */
export class MailTokenDto {
  @ApiProperty({ description: 'The `token` query parameter of the mailed link' })
  @IsText()
  @IsNotEmpty()
  @MaxLength(MAX_TOKEN_LENGTH)
  token!: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(MAX_EMAIL_LENGTH)
  email!: string;
}

export class ResetPasswordDto extends MailTokenDto {
  @ApiProperty({
    minLength: MIN_PASSWORD_CHARACTERS,
    description: 'Same policy as at registration; when refused, the token stays usable',
  })
  @IsString()
  @IsAcceptablePassword()
  newPassword!: string;

  @ApiPropertyOptional({
    example: '123456',
    description:
      'With a second factor enrolled: a code of the authenticator app (or `recoveryCode`)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code?: string;

  @ApiPropertyOptional({
    description: 'With a second factor enrolled: a recovery code (or `code`)',
  })
  @IsOptional()
  @IsText()
  @IsNotEmpty()
  @MaxLength(64)
  recoveryCode?: string;

  @ApiPropertyOptional({
    description:
      "With a passkey as second factor: a passkey's assertion (`AuthenticationResponseJSON`) for options from `POST <prefix>/passkeys/login/options`",
  })
  @IsOptional()
  @IsObject()
  passkey?: Record<string, unknown>;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'ada@example.org', description: 'Normalized as at registration' })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(MAX_EMAIL_LENGTH)
  newEmail!: string;

  @ApiProperty()
  @IsText()
  @IsNotEmpty()
  currentPassword!: string;
}
