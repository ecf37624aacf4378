import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'auth:roles';

/**
 * Requires the caller to hold at least one of `roles`. On a method it overrides the controller's.
 * @example `@Roles('admin')`
 */
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);
