import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { MAIL_OPTIONS, type ResolvedMailOptions } from './account-mail.options';
import { errorMessage } from '../../core/logging/log-line';
import { MAIL_STORE, type ClaimedMail, type MailStore } from './mail-store.port';
import { MAILER, type Mailer } from './mailer.port';
import { OutboxSeal } from './outbox-seal';

/** Mails claimed per round trip to the database. */
const BATCH = 10;
/** How long a claim holds: well above an SMTP attempt's timeouts, so only a dead worker's mail is claimed again. */
const LEASE_MS = 120_000;
/** The wait after a first failed attempt; each further failure doubles it, up to `mailWorker.maxRetryDelay`. */
const FIRST_RETRY_MS = 1000;

/** The wait before attempt `attempts + 1` of a mail, ms: 1 s, 2 s, 4 s … capped at `maxDelay`. */
export function retryDelay(attempts: number, maxDelay: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), maxDelay);
}

/**
 * Sends the mail of the outbox, off every request: an SMTP outage fails no request, and the mail goes out once the
 * server is back (retries with exponential backoff). It polls every `mailWorker.pollInterval` ms, and at once when
 * a mail is queued on this instance ({@link wake}). Times here are the wall clock, not the module's `CLOCK`: they
 * pace I/O, they decide nothing about a token.
 */
@Injectable()
export class MailOutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailOutbox');
  private readonly seal: OutboxSeal;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private storeFailing = false;
  /**
   * The async context of the module's boot: rounds run in it, not in the context of the request that woke the
   * worker, so their log lines are not attributed to that request (pino-http keeps the request in that context).
   */
  private readonly context = new AsyncResource('MailOutboxWorker');

  constructor(
    @Inject(AUTH_OPTIONS) authOptions: ResolvedAuthOptions,
    @Inject(MAIL_OPTIONS) private readonly options: ResolvedMailOptions,
    @Inject(MAIL_STORE) private readonly store: MailStore,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {
    this.seal = new OutboxSeal(authOptions.jwtRefreshSecret);
  }

  /** The seal of this module's outbox payloads: what queues mail must seal with it. */
  get outboxSeal(): OutboxSeal {
    return this.seal;
  }

  onApplicationBootstrap(): void {
    const { pollInterval } = this.options.mailWorker;
    if (pollInterval === 0) return;
    this.timer = setInterval(() => this.wake(), pollInterval);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks for due mail now (or right after the round under way); never throws. */
  wake(): void {
    if (this.stopped || this.options.mailWorker.pollInterval === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.context
      .runInAsyncScope(() => this.drain())
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Sends every due mail, batch after batch. Resolves when none is left; exported for tests and hosts' schedulers. */
  async drain(): Promise<void> {
    for (;;) {
      let batch: ClaimedMail[];
      try {
        batch = await this.store.claim(Date.now(), BATCH, LEASE_MS);
        if (this.storeFailing) this.logger.log('Mail outbox readable again');
        this.storeFailing = false;
      } catch (error) {
        // Said once per outage, not at every poll.
        if (!this.storeFailing) this.logger.warn(`Mail outbox unreadable: ${errorMessage(error)}`);
        this.storeFailing = true;
        return;
      }
      await Promise.all(batch.map((mail) => this.deliver(mail)));
      if (batch.length < BATCH || this.stopped) return;
    }
  }

  private async deliver(mail: ClaimedMail): Promise<void> {
    const { maxAttempts, maxRetryDelay } = this.options.mailWorker;
    try {
      let message;
      try {
        message = this.seal.open(mail.payload);
      } catch (error) {
        // Sealed under another secret (JWT_REFRESH_SECRET changed): no attempt can ever read it.
        await this.store.giveUp(mail.id, errorMessage(error));
        this.logger.error(`Mail ${mail.id} given up: ${errorMessage(error)}`);
        return;
      }
      try {
        await this.mailer.send(message);
      } catch (error) {
        const reason = errorMessage(error);
        if (mail.attempts >= maxAttempts) {
          await this.store.giveUp(mail.id, reason);
          this.logger.error(`Mail ${mail.id} given up after ${mail.attempts} attempts: ${reason}`);
          return;
        }
        const delay = retryDelay(mail.attempts, maxRetryDelay);
        await this.store.retryLater(mail.id, Date.now() + delay, reason);
        this.logger.warn(
          `Mail ${mail.id} not sent (attempt ${mail.attempts}), next in ${delay} ms: ${reason}`,
        );
        return;
      }
      await this.store.markSent(mail.id);
    } catch (error) {
      // The store failed after the send or while rescheduling: the lease runs out and the mail is tried again
      // (mail is sent at least once; a duplicate is the price of never losing one).
      this.logger.warn(`Mail ${mail.id}: outbox update failed: ${errorMessage(error)}`);
    }
  }
}
