/** How many events one connection may send: a burst, then a steady rate (a token bucket). */
export interface MessageBudgetLimits {
  /** Events a connection may send at once. */
  burst: number;
  /** Events per second it earns back, up to `burst`. */
  perSecond: number;
}

/**
 * The default budget of a socket.io connection: 100 events at once, 50 a second after. A client answering a UI
 * sends a few a second; 20,000 in a burst kept the event loop busy for every other client.
 */
export const SOCKET_MESSAGE_BUDGET: MessageBudgetLimits = { burst: 100, perSecond: 50 };

/**
 * One connection's budget of incoming events. {@link take} answers whether one more fits; the caller closes the
 * connection when it does not (dropping the event alone would let the client go on costing a parse per event).
 * Time is monotonic (`performance.now()`), not the module's clock: this measures the process's load, not a date.
 */
export class MessageBudget {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly limits: MessageBudgetLimits = SOCKET_MESSAGE_BUDGET) {
    this.tokens = limits.burst;
  }

  /** Spends one event of the budget; false when it is spent. */
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
