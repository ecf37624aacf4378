import { Inject, Injectable } from '@nestjs/common';
import { AuthError } from '../../core/errors/auth-error';
import { RealtimeAuth } from './realtime-auth';
import { REALTIME_OPTIONS, type ResolvedRealtimeOptions } from './realtime.options';
import { type BudgetedWebSocket, limitWebSocketMessages } from './websocket-budget';
import { type ConnectionRegistration, SessionConnections } from './session-connections';

/** The close code of a subscription connection refused or ended for its token or session (as HTTP's 401). */
export const CLOSE_UNAUTHORIZED = 4401;

/** graphql-transport-ws's close code for a second `connection_init` on one socket. */
export const CLOSE_TOO_MANY_INITIALISATIONS = 4429;

/** A WebSocket, as far as this uses it (the `ws` package's, under graphql-ws and Mercurius alike). */
export interface ClosableSocket extends BudgetedWebSocket {
  once(event: 'close', listener: () => void): unknown;
}

/** What graphql-ws gives its `onPing`, `onPong` and `onSubscribe` hooks: its context, with `extra.socket`. */
interface GraphQLWsContext {
  extra: unknown;
}

/**
 * What `graphql-ws` gives its `onConnect` and `context` (its `Context`): `extra` is what its server adds, with the
 * `ws` server a `{ socket }`.
 */
export interface GraphQLWsConnection {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: unknown;
}

/** A subscription's GraphQL context, as the guards read it: the `connectionParams`' token as a request header. */
export interface SubscriptionContext {
  req: { headers: { authorization?: string } };
}

/**
 * GraphQL subscriptions behind the module (docs/realtime.md: GraphQL and WebSockets), over `graphql-transport-ws`: the
 * connection's `connectionParams.authorization` (`Bearer <access token>`) is checked at `connection_init` (a bad
 * one closes it with 4401), and the connection is registered with its session: closed with 4401 when the session
 * is revoked (on any instance) or its token expires. Resolvers then see the token as an HTTP request's header, so
 * the guards and `@CurrentUser()` work unchanged. Every connection has a budget of messages
 * (`realtime({ messageBudget })`): past it the socket is closed with 1008 (Policy Violation). With graphql-ws it
 * starts at the first message its hooks see (`connection_init`, `ping`, `pong`, `subscribe`; before
 * `connection_init` graphql-ws closes on anything else but `complete`, and after its 3 s wait); with Mercurius,
 * which has no such hooks nor wait, hand it each socket as it opens ({@link limit}; the reference server does it
 * in Fastify's `onRoute` hook), else it starts at `connection_init`.
 * @example Apollo (`@nestjs/apollo`):
 * ```ts
 * GraphQLModule.forRootAsync<ApolloDriverConfig>({
 *   driver: ApolloDriver, inject: [SubscriptionSessions],
 *   useFactory: (subscriptions: SubscriptionSessions) => ({
 *     autoSchemaFile: true,
 *     subscriptions: { 'graphql-ws': subscriptions.graphqlWs() },
 *     context: (arg) => subscriptions.contextOf(arg) ?? { req: arg.req },
 *   }),
 * })
 * ```
 */
@Injectable()
export class SubscriptionSessions {
  constructor(
    private readonly auth: RealtimeAuth,
    private readonly connections: SessionConnections,
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
  ) {}

  /**
   * `graphql-ws` server options (Apollo driver: `subscriptions['graphql-ws']`): authentication at `connection_init`,
   * and the message budget from the first message a hook sees.
   */
  graphqlWs() {
    const budget = (context: GraphQLWsContext) =>
      this.limit((context.extra as { socket: ClosableSocket }).socket);
    return {
      onConnect: (connection: GraphQLWsConnection): boolean => {
        const { socket } = connection.extra as { socket: ClosableSocket };
        this.limit(socket);
        return this.accept(connection.connectionParams, socket);
      },
      onPing: budget,
      onPong: budget,
      onSubscribe: (context: GraphQLWsContext): undefined => {
        budget(context);
        return undefined;
      },
    };
  }

  /**
   * Puts `socket` (a `ws` WebSocket) on the connection's message budget, from its next message: past it, it is
   * closed with 1008 and no further message reaches the GraphQL server. Once; later calls change nothing.
   */
  limit(socket: BudgetedWebSocket): void {
    limitWebSocketMessages(socket, this.options.messageBudget);
  }

  /**
   * `onConnect` for Mercurius (`subscription.onConnect`): Mercurius calls it with its connection as `this`, which
   * holds the socket. Returns the context the resolvers get (the token as a request header), or false.
   */
  mercuriusOnConnect() {
    const accept = (payload: unknown, socket: ClosableSocket) =>
      this.accept(payload as Record<string, unknown> | undefined, socket);
    const budget = (socket: ClosableSocket) => this.limit(socket);
    // graphql-transport-ws: a second `connection_init` on one socket closes it with 4429 (graphql-ws does this
    // itself; Mercurius would authenticate the socket again, under another token).
    const initialised = new WeakSet<object>();
    return function (
      this: { socket: ClosableSocket },
      data: { payload?: unknown },
    ): SubscriptionContext | false {
      budget(this.socket);
      if (initialised.has(this)) {
        this.socket.close(CLOSE_TOO_MANY_INITIALISATIONS, 'Too many initialisation requests');
        return false;
      }
      initialised.add(this);
      return accept(data.payload, this.socket) && contextFrom(data.payload);
    };
  }

  /**
   * The context of a subscription's operation, from `graphql-ws`'s (`connectionParams`), for the guards; undefined
   * for anything else (an HTTP request's context argument).
   */
  contextOf(argument: unknown): SubscriptionContext | undefined {
    if (typeof argument !== 'object' || argument === null || !('connectionParams' in argument)) {
      return undefined;
    }
    return contextFrom((argument as GraphQLWsConnection).connectionParams);
  }

  private accept(params: Readonly<Record<string, unknown>> | undefined, socket: ClosableSocket) {
    let registration: ConnectionRegistration;
    try {
      const caller = this.auth.authenticateBearer(params?.authorization);
      registration = this.connections.register(
        caller.user.sessionId,
        caller.expiresAt,
        { close: () => socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized') },
        caller.issuedAt,
      );
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // Before the server's own refusal (4403 Forbidden), which a closing socket then ignores.
      socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
      return false;
    }
    socket.once('close', () => registration.unregister());
    return true;
  }
}

function contextFrom(params: unknown): SubscriptionContext {
  const authorization = (params as { authorization?: unknown } | undefined)?.authorization;
  return { req: { headers: typeof authorization === 'string' ? { authorization } : {} } };
}
