/** How many messages one connection may send: a burst, then a steady rate (a token bucket). */
export interface MessageBudgetLimits {
  /** Messages a connection may send at once. */
  burst: number;
  /** Messages per second it earns back, up to `burst`. */
  perSecond: number;
}

/**
 * The default budget of every long-lived connection (a socket.io socket, a GraphQL WebSocket): 100 messages at once,
 * 50 a second after. A client answering a UI sends a few a second; 20,000 in a burst kept the event loop busy for
 * every other client. `realtime({ messageBudget })` changes it.
 */
export const SOCKET_MESSAGE_BUDGET: MessageBudgetLimits = { burst: 100, perSecond: 50 };

/**
 * One connection's budget of incoming messages. {@link take} answers whether one more fits; the caller closes the
 * connection when it does not (dropping the message alone would let the client go on costing a parse per message).
 * Time is monotonic (`performance.now()`), not the module's clock: this measures the process's load, not a date.
 */
export class MessageBudget {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly limits: MessageBudgetLimits = SOCKET_MESSAGE_BUDGET) {
    this.tokens = limits.burst;
  }

  /** Spends one message of the budget; false when it is spent. */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(
      this.limits.burst,
      this.tokens + ((now - this.last) / 1000) * this.limits.perSecond,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Checks `limits` (each a positive, finite number; `burst` at least 1).
 * @throws Error naming the bad field, at boot.
 */
export function checkMessageBudget(limits: MessageBudgetLimits): MessageBudgetLimits {
  for (const field of ['burst', 'perSecond'] as const) {
    const value = limits[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(
        `realtime: messageBudget.${field} must be a positive number, got ${String(value)}`,
      );
    }
  }
  if (limits.burst < 1) throw new Error('realtime: messageBudget.burst must be at least 1');
  return { burst: limits.burst, perSecond: limits.perSecond };
}
