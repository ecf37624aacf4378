import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { AuthUser } from '../auth.types';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { AuthError } from '../errors/auth-error';
import { refusal } from '../errors/refusal';

/**
 * Enforces `@Roles(...)`: runs after {@link AccessTokenGuard}, so the caller is known. Refuses with 403
 * `insufficient_scope` (401 `Bearer` without a caller), its `WWW-Authenticate` set here, on any route.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  /** A property, not a constructor parameter: a host's subclass keeps calling `super(reflector)`. */
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    // A role needs a caller, even on a route someone also marked @Public().
    if (!user) throw refusal(context, new AuthError('token_missing', 'no caller'), this.http);
    if (!required.some((role) => user.roles.includes(role))) {
      throw refusal(context, new AuthError('insufficient_role', 'no required role'), this.http);
    }
    return true;
  }
}
