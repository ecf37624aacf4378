import type { AuthFeature } from '../../core/auth-feature';
import { AdminUsersController } from './admin-users.controller';
import { USER_ADMINISTRATION_METHODS } from '../../core/model/user-store.port';

/**
 * User administration over HTTP, for the role `admin`: `GET <prefix>/admin/users` (pages, email prefix filter),
 * `PATCH <prefix>/admin/users/:id` (roles, disabled) and `DELETE <prefix>/admin/users/:id`. The same operations are
 * `AuthService` methods for a host's own code whether or not this feature is registered.
 * @example `features: [administration()]`
 */
export function administration(): AuthFeature {
  return {
    id: 'administration',
    parts: () => ({
      controllers: [AdminUsersController],
      userStoreMethods: [...USER_ADMINISTRATION_METHODS, 'list'],
    }),
  };
}
