import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../auth.types';

/**
 * The authenticated caller ({@link AuthUser}), or one of its fields.
 * @example `me(@CurrentUser() user: AuthUser)` or `@CurrentUser('id') userId: string`
 */
export const CurrentUser = createParamDecorator(
  (field: keyof AuthUser | undefined, context: ExecutionContext) => {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    return field === undefined ? user : user?.[field];
  },
);
