import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Public, Roles } from '../auth';

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
