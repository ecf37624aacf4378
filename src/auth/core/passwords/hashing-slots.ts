import { availableParallelism } from 'node:os';

/**
 * At most `size` password hashes at once; the rest wait their turn, first come first served.
 *
 * bcrypt runs on libuv's thread pool (4 threads by default): with as many hashes as threads on a 2-core machine,
 * the hashing threads outnumber the cores and the event loop gets a share of a core like any of them, so every
 * request (a guarded GET that needs 50 µs of CPU) waits for the scheduler behind them: a storm of 8 logins put the
 * p99 of guarded requests at 30-50 ms. With one hash per core the cores are as busy (the login rate stays the
 * machine's bcrypt rate) and the event loop is seldom the one that waits; the logins queue here instead, which
 * costs them the time they would have spent sharing the cores anyway. The thread pool also stays free for what else
 * uses it (file reads, DNS, async crypto).
 */
export class HashingSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param size hashes at once, at least 1 (default: the cores this process may use). */
  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  /** `work()` once a slot is free; the slot is given back when its promise settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line (running unchanged), or is freed.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }

  /** Hashes waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
