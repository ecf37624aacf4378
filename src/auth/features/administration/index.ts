import type { AuthFeature } from '../../core/auth-feature';
import { USER_ADMINISTRATION_METHODS } from '../../core/model/user-store.port';

/** The feature's controller, loaded only for a host that registers it (docs/performance.md: Boot and memory). */
function controller(): typeof import('./admin-users.controller').AdminUsersController {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./admin-users.controller') as typeof import('./admin-users.controller'))
    .AdminUsersController;
}

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
      controllers: [controller()],
      userStoreMethods: [...USER_ADMINISTRATION_METHODS, 'list'],
    }),
  };
}
