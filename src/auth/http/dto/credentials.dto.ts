import { ApiProperty, ApiPropertyOptional } from '../openapi';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEmailAddress } from './is-email-address.validator';
import { IsText } from './is-text.validator';
import {
  MAX_PASSWORD_CHARACTERS,
  MIN_PASSWORD_CHARACTERS,
} from '../../core/passwords/password-policy';
import { IsAcceptablePassword } from './password-policy.validator';

/** RFC 5321's limit on a forward path. */
const MAX_EMAIL_LENGTH = 254;
/** Far above a device token's 43 characters: anything longer is no token of ours. */
const MAX_DEVICE_TOKEN_LENGTH = 256;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({
    example: 'ada@example.com',
    description: 'Trimmed and lower-cased before storing',
  })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(MAX_EMAIL_LENGTH)
  email!: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    minLength: MIN_PASSWORD_CHARACTERS,
    description: `At least ${MIN_PASSWORD_CHARACTERS} characters, at most ${MAX_PASSWORD_CHARACTERS} characters in any script (code points after NFKC), no NUL`,
  })
  @IsString()
  @IsAcceptablePassword()
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsText()
  @IsNotEmpty()
  @MaxLength(MAX_EMAIL_LENGTH)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsText()
  @IsNotEmpty()
  password!: string;

  @ApiPropertyOptional({
    description:
      'What an earlier sign-in on this device answered as `deviceToken` (a remembered device): lets it skip the second factor. One that is not recognised is ignored',
  })
  @IsOptional()
  @IsText()
  @MaxLength(MAX_DEVICE_TOKEN_LENGTH)
  deviceToken?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsText()
  @IsNotEmpty()
  currentPassword!: string;

  @ApiProperty({
    minLength: MIN_PASSWORD_CHARACTERS,
    description: 'Same policy as at registration',
  })
  @IsString()
  @IsAcceptablePassword()
  newPassword!: string;
}

/** `DELETE <prefix>/account`: the current password proves the caller. */
export class DeleteAccountDto {
  @ApiProperty()
  @IsText()
  @IsNotEmpty()
  currentPassword!: string;
}
