import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';

/**
 * The per-client limit a feature supplies (the throttling feature: docs/operations.md: Abuse limits), as a guard. Absent when no
 * registered feature limits clients: the routes are then not limited per client (the per-account slowdown of failed
 * logins, in the core, still applies).
 */
export const CLIENT_RATE_LIMITER = Symbol('ClientRateLimiter');

/**
 * On the routes that take a credential or create one (login, register, refresh, the mail links, the second factor):
 * asks the registered per-client limiter, if any. Routes name this guard, never a feature's, so that throttling can
 * be left out or replaced without touching them.
 */
@Injectable()
export class ClientRateLimitGuard implements CanActivate {
  constructor(@Optional() @Inject(CLIENT_RATE_LIMITER) private readonly limiter?: CanActivate) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.limiter ? (this.limiter.canActivate(context) as boolean | Promise<boolean>) : true;
  }
}
