import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RefreshTokenClaims } from '../../core/model/token.types';

/** The claims of the refresh token that `RefreshTokenGuard` verified. */
export const RefreshClaims = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<{ user: RefreshTokenClaims }>().user,
);
