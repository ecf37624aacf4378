import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { RecentAuthentication } from '../recent-authentication';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../openapi';
import { AuthService } from '../../core/auth.service';
import type { AuthUser, SessionView } from '../../core/model/auth.types';
import { CurrentUser } from '../decorators/current-user.decorator';
import { ErrorResponse, SessionResponse } from '../dto/responses.dto';
import { AuthErrorHandling } from '../errors/auth-errors.interceptor';

/** `GET <prefix>/sessions` and `DELETE <prefix>/sessions/:id`: the caller's sessions (`routes.sessions`). */
@ApiTags('auth')
// Once, here: on a method as well, OpenAPI would list the requirement twice.
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse })
@AuthErrorHandling()
@Controller('auth')
export class SessionsController {
  constructor(
    private readonly auth: AuthService,
    private readonly recent: RecentAuthentication,
  ) {}

  @Get('sessions')
  @ApiOkResponse({
    type: [SessionResponse],
    description: "The caller's live sessions, newest first",
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  sessions(@CurrentUser() user: AuthUser): Promise<SessionView[]> {
    return this.auth.listSessions(user);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Not a live session of the caller' })
  async revokeSession(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    // Revoking another session is sensitive: a recent authentication, if a feature asks for one.
    if (id !== user.sessionId) this.recent.assert(user);
    await this.auth.revokeSession(user, id);
  }
}
