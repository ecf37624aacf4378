import { Inject } from '@nestjs/common';
import { Query, Resolver, Subscription } from '@nestjs/graphql';
import {
  AuthErrorHandling,
  AuthEvents,
  type AuthUser,
  AuthService,
  CurrentUser,
  Public,
  RequireAuth,
  REVOCATION_LIST,
  type RevocationList,
  Roles,
} from '../auth';
import { MeModel, SessionEventModel } from './account.models';
import { sessionEventsOf } from './session-events';

/**
 * The reference server's GraphQL schema (CONTRACT §4.14), guarded as its REST routes are; the module's errors of
 * its queries answer with `extensions.code` and `extensions.authCode`.
 */
@Resolver()
@AuthErrorHandling()
export class AccountResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly events: AuthEvents,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
  ) {}

  @Query(() => MeModel)
  async me(@CurrentUser() caller: AuthUser): Promise<MeModel> {
    const { id, email, roles, emailVerified } = await this.auth.me(caller);
    return { id, email, roles, emailVerified };
  }

  @Public()
  @Query(() => String)
  publicPing(): string {
    return 'pong';
  }

  @Roles('admin')
  @Query(() => String)
  adminPing(): string {
    return 'pong';
  }

  /** Step-up (RFC 9470) in GraphQL: a session that met a second factor. */
  @RequireAuth({ acr: 'aal2' })
  @Query(() => String)
  mfaPing(): string {
    return 'pong';
  }

  /** The revocations of the caller's sessions, from every instance (see sessionEventsOf). */
  @Subscription(() => SessionEventModel)
  sessionEvents(@CurrentUser() caller: AuthUser) {
    // Not awaited here: the iterator listens from now on, and learns the caller's sessions when the query answers.
    return sessionEventsOf({
      events: this.events,
      revocations: this.revocations,
      userId: caller.id,
      sessionIds: this.auth
        .listSessions(caller)
        .then((sessions) => sessions.map((session) => session.id)),
    });
  }
}
