import { Inject } from '@nestjs/common';
import { Info, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import {
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
import { AuthErrorHandling } from '../auth/errors';
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

  /**
   * The caller, looked up once per operation however many aliases ask for it. The key is the execution's own
   * `variableValues` object (graphql-js coerces the variables afresh for every execution, on both drivers), so an
   * answer never outlives its operation nor serves another one.
   */
  private readonly callers = new WeakMap<object, Promise<MeModel>>();

  @Query(() => MeModel)
  me(@CurrentUser() caller: AuthUser, @Info() info: GraphQLResolveInfo): Promise<MeModel> {
    const operation = info.variableValues;
    let answer = this.callers.get(operation);
    if (answer === undefined) {
      answer = this.lookUp(caller);
      this.callers.set(operation, answer);
    }
    return answer;
  }

  private async lookUp(caller: AuthUser): Promise<MeModel> {
    const { id, email, roles, emailVerified } = await this.auth.me(caller);
    return { id, email, roles, emailVerified };
  }

  @Public()
  @Query(() => String)
  publicPing(): string {
    return 'pong';
  }

  /** Optional sign-in (`@Public()`): the caller's id with a valid token, null for anyone else. */
  @Public()
  @Query(() => String, { nullable: true })
  whoAmI(@CurrentUser('id') id: string | undefined): string | null {
    return id ?? null;
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
