import { IsNotEmpty, IsObject, IsOptional, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '../../http/openapi';
import { IsText } from '../../http/dto/is-text.validator';

/** Longest passkey name kept (the column's width). */
const MAX_NAME_LENGTH = 100;

/** `POST <prefix>/passkeys/register`: the browser's `RegistrationResponseJSON` and an optional name. */
export class RegisterPasskeyDto {
  @ApiProperty({ description: 'What `navigator.credentials.create()` answered, as JSON' })
  @IsObject()
  response!: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'Laptop', description: 'What the user calls it' })
  @IsOptional()
  @IsText()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  name?: string;
}

/** `PATCH <prefix>/passkeys/:id`: a new name. */
export class RenamePasskeyDto {
  @ApiProperty({ example: 'Phone' })
  @IsText()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  name!: string;
}

/** `POST <prefix>/passkeys/login/options`: optionally the login's `mfaToken` (a passkey as second factor). */
export class PasskeyLoginOptionsDto {
  @ApiPropertyOptional({
    description: "The login's `mfaToken`: limits the options to that user's passkeys",
  })
  @IsOptional()
  @IsText()
  @IsNotEmpty()
  @MaxLength(2048)
  mfaToken?: string;
}

/** `POST <prefix>/passkeys/login`: the browser's `AuthenticationResponseJSON`. */
export class PasskeyLoginDto {
  @ApiProperty({ description: 'What `navigator.credentials.get()` answered, as JSON' })
  @IsObject()
  response!: Record<string, unknown>;
}
