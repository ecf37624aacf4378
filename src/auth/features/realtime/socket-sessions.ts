import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../core/model/auth.types';
import { MessageBudget } from './message-budget';
import { AuthError } from '../../core/errors/auth-error';
import { RealtimeAuth } from './realtime-auth';
import { REALTIME_OPTIONS, type ResolvedRealtimeOptions } from './realtime.options';
import { type ConnectionRegistration, SessionConnections } from './session-connections';

/**
 * A socket.io socket, as far as this reads it (the module does not import socket.io, an optional peer): the
 * handshake's `auth`, `data` for its state, its own ending.
 */
export interface AuthSocket {
  handshake: { auth?: Record<string, unknown> };
  data: { accessToken?: string; user?: AuthUser };
  disconnect(close?: boolean): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
  /** socket.io's per-socket middleware: runs for every incoming event, which goes on only through `next`. */
  use(middleware: (event: unknown[], next: (error?: Error) => void) => void): unknown;
}

/** A socket.io namespace (the gateway's server in `afterInit`), as far as this uses it. */
export interface AuthNamespace {
  use(middleware: (socket: AuthSocket, next: (error?: Error) => void) => void): unknown;
  on(event: 'connection', listener: (socket: AuthSocket) => void): unknown;
}

/** What a refused handshake fails with: the client's `connect_error` carries this message. */
export const SOCKET_UNAUTHORIZED = 'Unauthorized';

/**
 * socket.io gateways behind the module (docs/realtime.md: GraphQL and WebSockets): a handshake needs `auth.token`, a valid
 * access token of a live session; each socket is registered with its session, so it is disconnected when the
 * session is revoked (on any instance) or its token expires, unless `reauth` brought a fresh one.
 * @example
 * ```ts
 * @WebSocketGateway({ namespace: '/ws' })
 * export class EventsGateway implements OnGatewayInit {
 *   constructor(private readonly sockets: SocketSessions) {}
 *   afterInit(server: Namespace) { this.sockets.protect(server); }
 *   @SubscribeMessage('reauth')
 *   reauth(@ConnectedSocket() socket: Socket, @MessageBody() body: { token?: unknown }) {
 *     return this.sockets.reauth(socket, body?.token);
 *   }
 * }
 * ```
 */
@Injectable()
export class SocketSessions {
  private readonly registrations = new WeakMap<AuthSocket, ConnectionRegistration>();
  /** Each handshake's token times, from the middleware to the registration. */
  private readonly handshakes = new WeakMap<AuthSocket, { expiresAt: number; issuedAt: number }>();

  constructor(
    private readonly auth: RealtimeAuth,
    private readonly connections: SessionConnections,
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
  ) {}

  /**
   * Refuses handshakes without a valid token (`connect_error` `Unauthorized`), and registers the others, each with
   * a budget of incoming events (`realtime({ messageBudget })`: past it the socket is disconnected).
   */
  protect(namespace: AuthNamespace): void {
    namespace.use((socket, next) => {
      try {
        const token = socket.handshake.auth?.token;
        const caller = this.auth.authenticate(token);
        socket.data.user = caller.user;
        socket.data.accessToken = token as string;
        this.handshakes.set(socket, { expiresAt: caller.expiresAt, issuedAt: caller.issuedAt });
        next();
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        next(new Error(SOCKET_UNAUTHORIZED));
      }
    });
    namespace.on('connection', (socket) => this.register(socket));
  }

  /**
   * Takes a fresh access token for `socket`: it must be of the socket's session (a token of another session, or a
   * bad one, is refused and changes nothing). The socket then stays open until the new token's `exp`, and the
   * guard reads the new token on the following messages.
   * @returns the caller, as `whoami` shows it
   * @throws AuthError when the token does not hold or is of another session
   */
  reauth(socket: AuthSocket, token: unknown): Pick<AuthUser, 'id' | 'email' | 'roles'> {
    const caller = this.auth.authenticate(token);
    if (caller.user.sessionId !== socket.data.user?.sessionId) {
      throw new AuthError('token_claims', 'a reauth token of another session');
    }
    socket.data.user = caller.user;
    socket.data.accessToken = token as string;
    this.registrations.get(socket)?.extend(caller.expiresAt, caller.issuedAt);
    const { id, email, roles } = caller.user;
    return { id, email, roles };
  }

  private register(socket: AuthSocket): void {
    const { user } = socket.data;
    const handshake = this.handshakes.get(socket);
    if (!user || handshake === undefined) {
      // Connected without passing protect()'s middleware: nothing vouches for it.
      socket.disconnect(true);
      return;
    }
    // A per-connection budget of events (messageBudget): past it the socket is closed, before any handler, guard
    // or acknowledgement runs for the event.
    const budget = new MessageBudget(this.options.messageBudget);
    socket.use((_event, next) => {
      if (budget.take()) {
        next();
        return;
      }
      socket.disconnect(true);
    });
    const registration = this.connections.register(
      user.sessionId,
      handshake.expiresAt,
      { close: () => socket.disconnect(true) },
      handshake.issuedAt,
    );
    this.registrations.set(socket, registration);
    socket.once('disconnect', () => registration.unregister());
  }
}
