import { ApiProperty, ApiPropertyOptional } from '../openapi';
import type { PublicUser, SessionView } from '../../core/model/auth.types';
import type { TokenResponseBody } from '../cookies/refresh-token.transport';

/** Response shapes, for the OpenAPI document. */
export class UserResponse implements PublicUser {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ description: 'Whether the address was verified through a mailed link' })
  emailVerified!: boolean;
  @ApiProperty({ example: ['user'] }) roles!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TokenResponse implements TokenResponseBody {
  @ApiProperty({ description: 'JWT, `typ: at+jwt`' }) accessToken!: string;
  @ApiPropertyOptional({
    description:
      'JWT, `typ: refresh+jwt`; single use. Absent in cookie transport: it is in the HttpOnly cookie',
  })
  refreshToken?: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn!: number;
  @ApiProperty({ description: 'Seconds until the refresh token expires', example: 604800 })
  refreshExpiresIn!: number;
}

export class SessionResponse implements SessionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When the session dies unless refreshed (never past its absolute lifetime)',
  })
  expiresAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'User agent of the login' })
  userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'IP of the login' })
  ip!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'User agent of the latest refresh' })
  lastUserAgent!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'IP of the latest refresh' })
  lastIp!: string | null;
  @ApiProperty({ description: 'Whether this is the session of the calling access token' })
  current!: boolean;
}

export class ErrorResponse {
  @ApiProperty({ example: 401 }) statusCode!: number;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })
  message!: string | string[];
  @ApiProperty({ example: 'Unauthorized' }) error!: string;
  @ApiProperty({
    example: 'TOKEN_EXPIRED',
    description:
      'The stable code of the refusal (docs/errors.md): branch on it, never on `message`',
  })
  code!: string;
}
