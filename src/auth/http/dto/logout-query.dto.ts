import { ApiPropertyOptional } from '../openapi';
import { IsIn, IsOptional } from 'class-validator';
import type { LogoutScope } from '../../core/model/auth.types';

export const LOGOUT_SCOPES: LogoutScope[] = ['local', 'global', 'others'];

export class LogoutQueryDto {
  @ApiPropertyOptional({
    enum: LOGOUT_SCOPES,
    default: 'local',
    description:
      '`local`: this session; `global`: every session of the user; `others`: all but this one',
  })
  @IsOptional()
  @IsIn(LOGOUT_SCOPES)
  scope?: LogoutScope;
}
