import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthUser } from '../core/model/auth.types';
import { CLOCK, type Clock } from '../core/clock/clock';
import {
  type AuthRequirement,
  authenticationShortfall,
  RECENT_AUTHENTICATION,
} from '../core/step-up';

/**
 * The check of the core's sensitive routes (ending other sessions): a caller whose session authenticated longer ago
 * than a registered feature asks ({@link RECENT_AUTHENTICATION}) gets the step-up answer with `max_age`, and
 * re-authenticates. Routes that take `currentPassword` need no such check: the password is the proof.
 */
@Injectable()
export class RecentAuthentication {
  constructor(
    @Optional() @Inject(RECENT_AUTHENTICATION) private readonly requirement?: AuthRequirement,
    @Optional() @Inject(CLOCK) private readonly clock?: Clock,
  ) {}

  /** @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` (with `maxAge`) for a stale caller. */
  assert(caller: AuthUser): void {
    if (this.requirement === undefined) return;
    const now = Math.floor((this.clock?.now() ?? Date.now()) / 1000);
    const shortfall = authenticationShortfall(caller, this.requirement, now);
    if (shortfall !== undefined) throw shortfall;
  }
}
