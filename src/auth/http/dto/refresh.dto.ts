import { ApiPropertyOptional } from '../openapi';
import { IsOptional, IsString } from 'class-validator';

export class RefreshDto {
  @ApiPropertyOptional({
    description: 'The refresh token; or send it as `Authorization: Bearer <refresh token>`',
  })
  @IsOptional()
  @IsString()
  refreshToken?: string;
}
