import { errorMessage } from './log-line';

/** What {@link OutageWarning} needs of a logger (Nest's `Logger` has it). */
export interface WarningLogger {
  warn(message: string): unknown;
  log(message: string): unknown;
}

/**
 * One warning when a dependency starts failing and one line when it works again, rather than a warning per request
 * for as long as an outage lasts (a login storm during a Redis outage would otherwise flood the log).
 */
export class OutageWarning {
  private failing = false;

  constructor(
    private readonly logger: WarningLogger,
    /** What stops working, e.g. "Rate limits not counted". */
    private readonly consequence: string,
  ) {}

  failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(`${this.consequence} until it works again: ${errorMessage(error)}`);
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log(`${this.consequence}: works again`);
  }
}
