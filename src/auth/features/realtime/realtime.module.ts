import { Module } from '@nestjs/common';
import { RealtimeAuth } from './realtime-auth';
import { SessionConnections } from './session-connections';
import { SocketSessions } from './socket-sessions';
import { SubscriptionSessions } from './subscription-sessions';

/**
 * The connection registry and the socket.io and GraphQL-subscription helpers. Needs what `AuthModule` exports
 * (`AccessTokenAuthenticator`): register `AuthModule` with `isGlobal: true`, or import this
 * module where `AuthModule` is imported.
 */
@Module({
  providers: [RealtimeAuth, SessionConnections, SocketSessions, SubscriptionSessions],
  exports: [RealtimeAuth, SessionConnections, SocketSessions, SubscriptionSessions],
})
export class RealtimeAuthModule {}
