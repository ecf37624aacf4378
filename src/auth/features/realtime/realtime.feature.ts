import type { AuthFeature } from '../../core/auth-feature';
import { RealtimeAuth } from './realtime-auth';
import { SessionConnections } from './session-connections';
import { SocketSessions } from './socket-sessions';
import { SubscriptionSessions } from './subscription-sessions';

const PROVIDERS = [RealtimeAuth, SessionConnections, SocketSessions, SubscriptionSessions];

/**
 * Sockets and GraphQL subscriptions that follow their session (CONTRACT §4.14): `SocketSessions` for socket.io
 * gateways (handshake, `reauth`), `SubscriptionSessions` for `graphql-transport-ws` (Apollo and Mercurius), and
 * `SessionConnections` closing every connection of a revoked session within a second, on every instance. It loads no
 * GraphQL or socket.io package (it reads their objects by shape). Register `AuthModule` with `isGlobal: true`, so
 * that a gateway, a resolver or `GraphQLModule.forRootAsync`'s factory can inject these.
 * @example `features: [...defaultFeatures(), realtime()]`
 */
export function realtime(): AuthFeature {
  return { id: 'realtime', parts: () => ({ providers: PROVIDERS, exports: PROVIDERS }) };
}
