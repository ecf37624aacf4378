import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MAIL_OPTIONS, type ResolvedMailOptions } from './account-mail.options';

/**
 * One line at boot saying where mail goes: an `smtpUrl` read from a `.env` loaded too late would otherwise leave
 * every mail in `.eml` files without a word. Logged once the app's logger is set (module init), never with the
 * SMTP credentials.
 */
@Injectable()
export class MailTransportNotice implements OnModuleInit {
  constructor(@Inject(MAIL_OPTIONS) private readonly options: ResolvedMailOptions) {}

  onModuleInit(): void {
    new Logger('AccountMail').log(describeMailTransport(this.options));
  }
}

/** Where mail goes, in words: the host's mailer, an SMTP server (without its credentials) or a folder of files. */
export function describeMailTransport(options: ResolvedMailOptions): string {
  if (options.mailer) return "Mail goes to the host's mailer";
  if (options.smtpUrl) {
    const url = new URL(options.smtpUrl);
    return `Mail goes to SMTP at ${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
  }
  return `Mail is written as .eml files to ${options.mailOutboxDir} (no smtpUrl, no mailer)`;
}
