import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail the sink received over SMTP: its envelope and raw MIME text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as it came over the wire (headers and bodies, quoted-printable as sent). */
  raw: string;
}

/**
 * A real SMTP server in the test process (smtp-server, over TCP on 127.0.0.1): the app sends to it as to any SMTP
 * server. It keeps every message, can be stopped (connections refused, as in an outage) and started again on the
 * same port.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private server?: SMTPServer;
  private port = 0;

  /** `smtp://127.0.0.1:<port>`, once started. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Listens on the sink's port (a free one the first time). */
  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // stop() cuts connections under way at once, as a crash or an outage would.
      closeTimeout: 50,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mailFrom = session.envelope.mailFrom;
          this.messages.push({
            from: mailFrom === false ? '' : mailFrom.address,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: the app's next attempt is refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The messages sent to `address` so far. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((mail) => mail.to.includes(address));
  }

  /** Waits for the `count`-th message to `address` (1 = the first) and returns it. */
  async waitFor(address: string, count = 1, withinMs = 10_000): Promise<ReceivedMail> {
    const start = Date.now();
    while (this.to(address).length < count) {
      if (Date.now() - start > withinMs) {
        throw new Error(`no mail #${count} to ${address} within ${withinMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.to(address)[count - 1];
  }
}

/**
 * The token of the link to `page` in a mail: read from the plain-text body, where nodemailer may have folded the
 * line (quoted-printable soft breaks) and encoded `=` as `=3D`.
 */
export function tokenOf(mail: ReceivedMail, page: string): string {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = new RegExp(`/${page}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no /${page} link in the mail`);
  return match[1];
}
