import type { AuthFeature } from '../../core/auth-feature';
import { RealtimeAuth } from './realtime-auth';
import { REALTIME_OPTIONS, type RealtimeOptions, resolveRealtimeOptions } from './realtime.options';
import { SessionConnections } from './session-connections';
import { SocketSessions } from './socket-sessions';
import { SubscriptionSessions } from './subscription-sessions';

const PROVIDERS = [RealtimeAuth, SessionConnections, SocketSessions, SubscriptionSessions];

/**
 * Sockets and GraphQL subscriptions that follow their session (CONTRACT §4.14): `SocketSessions` for socket.io
 * gateways (handshake, `reauth`), `SubscriptionSessions` for `graphql-transport-ws` (Apollo and Mercurius), and
 * `SessionConnections` closing every connection of a revoked session within a second, on every instance. Every
 * connection has a budget of messages (`messageBudget`). It loads no GraphQL or socket.io package (it reads their
 * objects by shape). Register `AuthModule` with `isGlobal: true`, so that a gateway, a resolver or
 * `GraphQLModule.forRootAsync`'s factory can inject these.
 * @throws Error at once, naming a bad option.
 * @example `features: [...defaultFeatures(), realtime({ messageBudget: { burst: 100, perSecond: 50 } })]`
 */
export function realtime(options: RealtimeOptions = {}): AuthFeature {
  const resolved = resolveRealtimeOptions(options);
  return {
    id: 'realtime',
    parts: () => ({
      providers: [{ provide: REALTIME_OPTIONS, useValue: resolved }, ...PROVIDERS],
      exports: PROVIDERS,
    }),
  };
}
