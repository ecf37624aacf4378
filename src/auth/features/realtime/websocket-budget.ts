import { MessageBudget, type MessageBudgetLimits } from './message-budget';

/**
 * A WebSocket of the `ws` package (under graphql-ws and Mercurius alike), as far as a budget uses it: its receiver
 * hands each message to `emit('message', …)`.
 */
export interface BudgetedWebSocket {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  close(code: number, reason: string): void;
}

/**
 * RFC 6455's 1008 (Policy Violation): the graphql-transport-ws protocol lets the server close a socket at any time,
 * with a close event describing the fatal error, and defines no code for a flood: its 4429 means "more than one
 * `connection_init`", which a client reads as such. 1008 is the WebSocket's own code for "a message violates the
 * server's policy"; graphql-ws's client counts it fatal (no retry loop).
 */
export const CLOSE_POLICY_VIOLATION = 1008;

const limited = new WeakSet<object>();

/**
 * Puts `socket`'s incoming messages on a budget (`limits`). Within it nothing changes; the first message past it
 * closes the socket with 1008, and neither that message nor any later one (a client ignoring the close may go on
 * sending until `ws` ends the close handshake, 30 s later) reaches a listener: each costs a frame's parse in `ws`,
 * no JSON, no handler. The budget sits in front of
 * `emit`, so it holds whatever order the GraphQL server's listeners were added in, and Mercurius's queue of unread
 * messages never grows past the burst. Idempotent: a socket is budgeted once.
 */
export function limitWebSocketMessages(
  socket: BudgetedWebSocket,
  limits: MessageBudgetLimits,
): void {
  if (limited.has(socket)) return;
  limited.add(socket);
  const budget = new MessageBudget(limits);
  const emit = socket.emit;
  let spent = false;
  socket.emit = function (this: BudgetedWebSocket, event, ...args) {
    if (event !== 'message') return emit.call(this, event, ...args);
    if (spent) return false;
    if (budget.take()) return emit.call(this, event, ...args);
    spent = true;
    this.close(CLOSE_POLICY_VIOLATION, 'Too many messages');
    return false;
  };
}
