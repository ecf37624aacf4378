import {
  checkMessageBudget,
  type MessageBudgetLimits,
  SOCKET_MESSAGE_BUDGET,
} from './message-budget';

/** Options of the realtime feature (`realtime({...})`). */
export interface RealtimeOptions {
  /**
   * The budget of messages of every long-lived connection, each on its own: a socket.io socket's events, a GraphQL
   * WebSocket's messages (graphql-ws under Apollo, Mercurius). Past it the connection is closed (socket.io:
   * disconnected; GraphQL: close code 1008). Default {@link SOCKET_MESSAGE_BUDGET}: 100 at once, 50 a second after.
   */
  messageBudget?: MessageBudgetLimits;
}

/** The resolved {@link RealtimeOptions} (an injection token). */
export const REALTIME_OPTIONS = Symbol('RealtimeOptions');

export type ResolvedRealtimeOptions = Required<RealtimeOptions>;

/**
 * The options with their defaults, checked.
 * @throws Error at boot, naming a bad field.
 */
export function resolveRealtimeOptions(options: RealtimeOptions): ResolvedRealtimeOptions {
  return { messageBudget: checkMessageBudget(options.messageBudget ?? SOCKET_MESSAGE_BUDGET) };
}
