import { ApiProperty, ApiPropertyOptional } from '../../http/openapi';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsText } from '../../http/dto/is-text.validator';
import { UserResponse } from '../../http/dto/responses.dto';

/** Page sizes of `GET <prefix>/admin/users`. */
export const USER_PAGE = { min: 1, max: 100, default: 20 } as const;
/** A role name: letters, digits and `_ . : -`, 1 to 64 characters; a user holds at most 20. */
export const ROLE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MAX_ROLES = 20;

export class ListUsersQueryDto {
  @ApiPropertyOptional({
    minimum: USER_PAGE.min,
    maximum: USER_PAGE.max,
    default: USER_PAGE.default,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(USER_PAGE.min)
  @Max(USER_PAGE.max)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({
    description:
      'Only addresses starting with this (compared in their stored form: NFC, lower case)',
  })
  @IsOptional()
  @IsText()
  @MaxLength(254)
  email?: string;
}

export class UpdateUserDto {
  // Absent is no change; null is refused (400) like any other non-array, rather than taken as absent.
  @ValidateIf((dto: UpdateUserDto) => dto.roles !== undefined)
  @ApiPropertyOptional({
    example: ['user', 'admin'],
    maxItems: MAX_ROLES,
    pattern: ROLE_NAME.source,
  })
  @IsArray()
  @ArrayMaxSize(MAX_ROLES)
  @IsString({ each: true })
  @Matches(ROLE_NAME, { each: true })
  roles?: string[];

  @ApiPropertyOptional({ description: 'true revokes every session of the user at once' })
  @ValidateIf((dto: UpdateUserDto) => dto.disabled !== undefined)
  @IsBoolean()
  disabled?: boolean;
}

export class ManagedUserResponse extends UserResponse {
  @ApiProperty() disabled!: boolean;
}

export class UserPageResponse {
  @ApiProperty({ type: [ManagedUserResponse] }) items!: ManagedUserResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor!: string | null;
}
