import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { LogoutScope } from '../auth.types';

const SCOPES: LogoutScope[] = ['local', 'global', 'others'];

export class LogoutQueryDto {
  @ApiPropertyOptional({
    enum: SCOPES,
    default: 'local',
    description:
      '`local`: this session; `global`: every session of the user; `others`: all but this one',
  })
  @IsOptional()
  @IsIn(SCOPES)
  scope?: LogoutScope;
}
