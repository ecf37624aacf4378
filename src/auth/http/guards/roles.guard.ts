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
import { RouteMetadataCache } from './route-metadata-cache';
import { AuthError } from '../../core/errors/auth-error';
import type { AuthUser } from '../../core/model/auth.types';
import { refusal } from '../errors/refusal';
import { CLOCK, type Clock } from '../../core/clock/clock';
import {
  authenticationShortfall,
  ROLE_AUTH_REQUIREMENTS,
  type RoleAuthRequirements,
} from '../../core/step-up';

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

  /** Also a property: what holding a role asks of the session (a feature's, `MFA_REQUIRED_ROLES`), if any. */
  @Optional()
  @Inject(ROLE_AUTH_REQUIREMENTS)
  private readonly roleRequirements?: RoleAuthRequirements;

  @Optional()
  @Inject(CLOCK)
  private readonly clock?: Clock;

  /** Each route's `@Roles`, read at its first request: this guard runs on every request of the app. */
  private readonly requiredRoles = new RouteMetadataCache<readonly string[] | undefined>(
    (context) =>
      this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]),
  );

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.requiredRoles.of(context);
    if (!required || required.length === 0) return true;
    const user = authRequestOf(context).user;
    const held = user === undefined ? [] : required.filter((role) => user.roles.includes(role));
    if (user !== undefined && held.length > 0) {
      this.assertRoleAuthentication(held, user, context);
      return true;
    }
    // A role needs a caller, even on a route someone also marked @Public(). On a socket, the message is refused
    // (acknowledged by AuthSocketErrorsFilter) and the socket stays open.
    if (!user) throw refusal(context, new AuthError('TOKEN_MISSING', 'no caller'), this.http);
    throw refusal(context, new AuthError('INSUFFICIENT_ROLE', 'no required role'), this.http);
  }

  /**
   * A role of the route that the caller holds may ask for a stronger or more recent session
   * ({@link ROLE_AUTH_REQUIREMENTS}): the caller passes when one of those roles is satisfied.
   */
  private assertRoleAuthentication(
    held: readonly string[],
    user: AuthUser,
    context: ExecutionContext,
  ): void {
    const requirements = this.roleRequirements;
    if (requirements === undefined) return;
    const now = Math.floor((this.clock?.now() ?? Date.now()) / 1000);
    let shortfall: AuthError | undefined;
    for (const role of held) {
      const requirement = requirements[role];
      if (requirement === undefined) return;
      shortfall = authenticationShortfall(user, requirement, now);
      if (shortfall === undefined) return;
    }
    if (shortfall !== undefined) throw refusal(context, shortfall, this.http);
  }
}
