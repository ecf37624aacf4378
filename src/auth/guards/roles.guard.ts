import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { authRequestOf } from '../context/auth-request';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { AuthError } from '../errors/auth-error';
import { refusal } from '../errors/refusal';

/**
 * Enforces `@Roles(...)`: runs after {@link AccessTokenGuard}, so the caller is known. Refuses with 403
 * `insufficient_scope` (401 `Bearer` without a caller), its `WWW-Authenticate` set here, on any route; in a
 * GraphQL resolver with `extensions.code` `FORBIDDEN` (`UNAUTHENTICATED`); on a socket by refusing the message.
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
    const user = authRequestOf(context).user;
    const allowed = user !== undefined && required.some((role) => user.roles.includes(role));
    // On a socket, Nest answers `false` with an `exception` event ("Forbidden resource"): the socket stays open.
    if (allowed || context.getType<string>() === 'ws') return allowed;
    // A role needs a caller, even on a route someone also marked @Public().
    if (!user) throw refusal(context, new AuthError('token_missing', 'no caller'), this.http);
    throw refusal(context, new AuthError('insufficient_role', 'no required role'), this.http);
  }
}
