import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { authRequestOf } from '../../contexts/auth-request';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { AuthError } from '../../core/errors/auth-error';
import { refusal } from '../errors/refusal';

/**
 * Enforces `@Roles(...)`: runs after {@link AccessTokenGuard}, so the caller is known. Refuses with 403
 * `INSUFFICIENT_ROLE`, `insufficient_scope` (401 `TOKEN_MISSING`, `Bearer`, without a caller), its
 * `WWW-Authenticate` set here, on any route; in a GraphQL resolver with `extensions.code` `FORBIDDEN`
 * (`UNAUTHENTICATED`); on a socket by refusing the message (see `AuthSocketErrorsFilter`).
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
    if (user !== undefined && required.some((role) => user.roles.includes(role))) return true;
    // A role needs a caller, even on a route someone also marked @Public(). On a socket, the message is refused
    // (acknowledged by AuthSocketErrorsFilter) and the socket stays open.
    if (!user) throw refusal(context, new AuthError('TOKEN_MISSING', 'no caller'), this.http);
    throw refusal(context, new AuthError('INSUFFICIENT_ROLE', 'no required role'), this.http);
  }
}
