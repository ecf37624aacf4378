import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Public, RequireAuth, Roles } from '../auth';

/** How a host app uses the module: every route is guarded unless `@Public()`; `@Roles` narrows further. */
@ApiTags('example')
@Controller()
export class ExampleController {
  @Public()
  @Get('public')
  @ApiOkResponse({ description: 'Open to anyone' })
  getPublic() {
    return { message: 'This route is public' };
  }

  @Get('protected')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'Any signed-in user' })
  @ApiUnauthorizedResponse()
  getProtected(@CurrentUser() user: AuthUser) {
    return {
      message: `Hello ${user.email}`,
      user: { id: user.id, email: user.email, roles: user.roles },
    };
  }

  @RequireAuth({ acr: 'aal2' })
  @Get('protected/mfa')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'A session that met a second factor (`acr` `aal2`)' })
  @ApiUnauthorizedResponse({
    description: '`insufficient_user_authentication`, `acr_values="aal2"`',
  })
  getMfaProtected(@CurrentUser() user: AuthUser) {
    return { message: 'Second factor met', user: { id: user.id, acr: user.acr, amr: user.amr } };
  }

  @RequireAuth({ maxAge: 60 })
  @Get('protected/recent')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'A session that authenticated within the last minute' })
  @ApiUnauthorizedResponse({ description: '`insufficient_user_authentication`, `max_age="60"`' })
  getRecentProtected(@CurrentUser() user: AuthUser) {
    return { message: 'Recently authenticated', user: { id: user.id, authTime: user.authTime } };
  }

  @Roles('admin')
  @Get('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'Users with the role admin' })
  @ApiForbiddenResponse({ description: 'Signed in without the role admin' })
  getAdmin(@CurrentUser() user: AuthUser) {
    return {
      message: 'Welcome, admin',
      user: { id: user.id, email: user.email, roles: user.roles },
    };
  }
}
