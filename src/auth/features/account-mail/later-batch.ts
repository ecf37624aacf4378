/** How long requests wait before their batch is worked through, in ms. */
export const LATER_BATCH_DELAY_MS = 100;
/** Items kept at most while waiting: past it, new ones are dropped (and counted) until the batch is done. */
export const LATER_BATCH_CAPACITY = 10_000;

/**
 * Work taken off the request path: items pushed during a request are worked through together, one after the other,
 * {@link LATER_BATCH_DELAY_MS} after the first of the batch. The request that pushed one, and the requests right
 * after it, never wait on its work, whatever it turns out to be: for a forgotten password the answer and the next
 * request cost the same whether or not the address has an account (on SQLite the writes of a known address block
 * the event loop; done at once they slowed the next request, which measured the difference).
 */
export class LaterBatch<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;

  /**
   * @param work what to do with one item; its failure goes to `onError` and the batch goes on.
   * @param onError told of each failed item, and of items dropped because the batch was full (with their count).
   */
  constructor(
    private readonly work: (item: T) => Promise<void>,
    private readonly onError: (problem: string) => void,
    private readonly delayMs = LATER_BATCH_DELAY_MS,
    private readonly capacity = LATER_BATCH_CAPACITY,
  ) {}

  /** Queues `item` for the next batch; never throws, never waits. */
  push(item: T): void {
    if (this.pending.length >= this.capacity) {
      this.dropped += 1;
      return;
    }
    this.pending.push(item);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.drain(), this.delayMs);
      // Pending work alone never keeps the process alive.
      this.timer.unref();
    }
  }

  /** Stops the schedule; what is pending is dropped (a forgotten password can be asked for again). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private async drain(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (this.dropped > 0) {
      this.onError(`${this.dropped} items dropped: the batch was full`);
      this.dropped = 0;
    }
    for (const item of batch) {
      await this.work(item).catch((error: unknown) =>
        this.onError(error instanceof Error ? error.message : String(error)),
      );
    }
    this.timer = undefined;
    // Items pushed while this batch ran wait for their own delay.
    if (this.pending.length > 0) {
      this.timer = setTimeout(() => void this.drain(), this.delayMs);
      this.timer.unref();
    }
  }
}
