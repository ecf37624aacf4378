import { type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { type AuthUser, CurrentUser } from 'nest-session-auth';
import { type AuthNamespace, SocketSessions } from 'nest-session-auth/realtime';

/** The README's gateway: a handshake needs `auth: { token }`, and each socket follows its session. */
@WebSocketGateway({ namespace: '/ws' })
export class EventsGateway implements OnGatewayInit {
  constructor(private readonly sockets: SocketSessions) {}

  afterInit(namespace: AuthNamespace) {
    this.sockets.protect(namespace);
  }

  @SubscribeMessage('whoami')
  whoami(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email, roles: user.roles };
  }
}
