import {
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import type { AuthUser } from '../../core/model/auth.types';
import { authRequestOf } from '../../contexts/auth-request';

/**
 * The authenticated caller ({@link AuthUser}), or one of its fields: in a controller, a GraphQL resolver (queries,
 * mutations, subscriptions) or a socket.io gateway's message handler.
 * @example `me(@CurrentUser() user: AuthUser)` or `@CurrentUser('id') userId: string`
 */
// Typed by hand: the inferred type names Nest 12's ParameterDecoratorOptions, which Nest 11 has not, so the
// emitted .d.ts would not compile in a Nest 11 host with skipLibCheck off (test/hosts/nest11-cjs).
export const CurrentUser: (
  ...dataOrPipes: (keyof AuthUser | PipeTransform | Type<PipeTransform> | undefined)[]
) => ParameterDecorator = createParamDecorator(
  (field: keyof AuthUser | undefined, context: ExecutionContext) => {
    const user = authRequestOf(context).user;
    return field === undefined ? user : user?.[field];
  },
);
