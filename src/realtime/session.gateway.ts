import { UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type AuthUser, CurrentUser, Public, RequireAuth } from '../auth';
import { AuthErrorHandling, AuthSocketErrorsFilter } from '../auth/errors';
import { type AuthNamespace, type AuthSocket, SocketSessions } from '../auth/features/realtime';

/** The caller as `whoami` and `reauth` acknowledge it. */
type Caller = Pick<AuthUser, 'id' | 'email' | 'roles'>;

/**
 * The socket.io namespace `/ws` (CONTRACT §4.14): a handshake needs `auth: { token }`; each socket follows its
 * session (closed on revocation, or at its token's expiry unless `reauth` brought a fresh one). A refused event is
 * acknowledged with `{ error: { code, message } }` (CONTRACT §4.14).
 */
@WebSocketGateway({ namespace: '/ws' })
@UseFilters(AuthSocketErrorsFilter)
@AuthErrorHandling()
export class SessionGateway implements OnGatewayInit {
  constructor(private readonly sockets: SocketSessions) {}

  afterInit(namespace: AuthNamespace): void {
    this.sockets.protect(namespace);
  }

  @SubscribeMessage('whoami')
  whoami(@CurrentUser() user: AuthUser): Caller {
    return { id: user.id, email: user.email, roles: user.roles };
  }

  /** Step-up (RFC 9470) on a socket: the message is refused, the socket stays open, below `aal2`. */
  @RequireAuth({ acr: 'aal2' })
  @SubscribeMessage('mfaPing')
  mfaPing(): string {
    return 'pong';
  }

  /**
   * Public to the guard: the token it replaces may be about to expire; SocketSessions checks the new one (of the
   * same session). Acknowledged with `{ ok: true, user }`, or the refusal's `{ error: { code, message } }`.
   */
  @Public()
  @SubscribeMessage('reauth')
  reauth(@ConnectedSocket() socket: AuthSocket, @MessageBody() body: unknown) {
    const token = (body as { token?: unknown } | null | undefined)?.token;
    return { ok: true, user: this.sockets.reauth(socket, token) };
  }
}
