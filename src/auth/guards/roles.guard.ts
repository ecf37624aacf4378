import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from '../auth.types';
import { ROLES_KEY } from '../decorators/roles.decorator';
import {
  InsufficientScopeException,
  MissingTokenException,
} from '../errors/bearer-challenge.exception';

/** Enforces `@Roles(...)`: runs after {@link AccessTokenGuard}, so the caller is known. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    // A role needs a caller, even on a route someone also marked @Public().
    if (!user) throw new MissingTokenException();
    if (!required.some((role) => user.roles.includes(role))) throw new InsufficientScopeException();
    return true;
  }
}
