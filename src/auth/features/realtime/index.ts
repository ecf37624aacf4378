/**
 * `nest-session-auth/realtime`: connections that follow their session (docs/realtime.md: GraphQL and WebSockets). A subpath
 * of its own, loaded only by hosts that serve socket.io or GraphQL subscriptions; it imports none of those packages
 * either (it reads their objects by shape), so it costs nothing to a host that loads it without them.
 */
export { realtime } from './realtime.feature';
export { type RealtimeOptions } from './realtime.options';
export { type MessageBudgetLimits, SOCKET_MESSAGE_BUDGET } from './message-budget';
export { type BudgetedWebSocket, CLOSE_POLICY_VIOLATION } from './websocket-budget';
export { RealtimeAuth, type RealtimeCaller } from './realtime-auth';
export {
  type ConnectionEnd,
  type ConnectionRegistration,
  type SessionConnection,
  SessionConnections,
} from './session-connections';
export {
  type AuthNamespace,
  type AuthSocket,
  SOCKET_UNAUTHORIZED,
  SocketSessions,
} from './socket-sessions';
export {
  CLOSE_UNAUTHORIZED,
  type ClosableSocket,
  type GraphQLWsConnection,
  type SubscriptionContext,
  SubscriptionSessions,
} from './subscription-sessions';
