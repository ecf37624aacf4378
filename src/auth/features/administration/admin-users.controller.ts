import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../../http/openapi';
import { ADMIN_ROLE } from '../../core/accounts/user-administration';
import { listUsers, type UserPage } from './user-pages';
import { AuthService } from '../../core/auth.service';
import type { AuthUser, ManagedUser } from '../../core/model/auth.types';
import { USER_STORE, type UserListing } from '../../core/model/user-store.port';
import { CurrentUser } from '../../http/decorators/current-user.decorator';
import { Roles } from '../../http/decorators/roles.decorator';
import {
  ListUsersQueryDto,
  ManagedUserResponse,
  UpdateUserDto,
  USER_PAGE,
  UserPageResponse,
} from './administration.dto';
import { ErrorResponse } from '../../http/dto/responses.dto';
import { AuthErrorHandling } from '../../http/errors/auth-errors.interceptor';
import { ValidatedBody, ValidatedQuery } from '../../http/validation/validated-input.decorators';

const LAST_ADMIN = 'LAST_ADMIN: it would leave no active admin';

/** `<prefix>/admin/users`: list, change and delete users; role `admin` only (`routes.admin`). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse })
@ApiForbiddenResponse({
  type: ErrorResponse,
  description: `The caller lacks the role ${ADMIN_ROLE}`,
})
@AuthErrorHandling()
@Roles(ADMIN_ROLE)
@Controller('auth')
export class AdminUsersController {
  constructor(
    private readonly auth: AuthService,
    // Checked at boot: the feature declares list (see administration()).
    @Inject(USER_STORE) private readonly users: UserListing,
  ) {}

  @Get('admin/users')
  @Roles(ADMIN_ROLE)
  @ApiOkResponse({ type: UserPageResponse, description: 'Newest first' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad limit, cursor or email' })
  list(@ValidatedQuery(ListUsersQueryDto) query: ListUsersQueryDto): Promise<UserPage> {
    return listUsers(
      this.users,
      { limit: query.limit ?? USER_PAGE.default, cursor: query.cursor, email: query.email },
      (user) => this.auth.showManagedUser(user),
    );
  }

  @Patch('admin/users/:id')
  @Roles(ADMIN_ROLE)
  @ApiBody({ type: UpdateUserDto })
  @ApiOkResponse({ type: ManagedUserResponse })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Nothing to change, a bad role name, or an admin disabling or demoting themselves',
  })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such user' })
  @ApiConflictResponse({ type: ErrorResponse, description: LAST_ADMIN })
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id') id: string,
    @ValidatedBody(UpdateUserDto) body: UpdateUserDto,
  ): Promise<ManagedUser> {
    return this.auth.updateUser(admin, id, body);
  }

  @Delete('admin/users/:id')
  @Roles(ADMIN_ROLE)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted: every session revoked, the address free again' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such user' })
  @ApiConflictResponse({ type: ErrorResponse, description: LAST_ADMIN })
  async remove(@Param('id') id: string): Promise<void> {
    await this.auth.deleteUser(id);
  }
}
