import type { Transporter } from 'nodemailer';
import { loadNodemailer } from './nodemailer';
import type { Mailer, OutgoingMail } from './mailer.port';

/**
 * Seconds an SMTP exchange may stall before the attempt fails and goes back to the outbox for a retry; under the
 * outbox's claim lease, so a stalled attempt never overlaps with another instance's retry of the same mail.
 */
const SMTP_TIMEOUT_MS = 15_000;

/**
 * Sends through an SMTP server (`SMTP_URL`: `smtp://user:pass@host:port` or `smtps://…`) with nodemailer, an optional
 * peer loaded here, when an SMTP mailer is made, so that a host with a mailer of its own installs no nodemailer.
 * @throws Error naming nodemailer when it is not installed.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(smtpUrl: string) {
    const url = new URL(smtpUrl);
    const { createTransport } = loadNodemailer('accountMail with smtpUrl');
    this.transport = createTransport({
      host: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail(mail);
  }

  /** Nest calls it as the app shuts down (the instance is a provider's value): open connections are closed. */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
