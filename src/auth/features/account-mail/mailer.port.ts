/** One mail, ready to go: what a {@link Mailer} is handed. Bodies never carry a password. */
export interface OutgoingMail {
  /** The sender, `MAIL_FROM` / `mailFrom`. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail goes: the port a host replaces to use its own transport (a provider's API, a queue). The module calls
 * it from its outbox worker only, never during a request, and retries with backoff when `send` rejects: a mailer
 * should reject on any failure it wants retried and resolve only once the mail is handed over.
 * @example
 * ```ts
 * accountMail({ mailer: { send: (mail) => myProvider.messages.create(mail) } })
 * ```
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** Injection token of the module's {@link Mailer}. */
export const MAILER = Symbol('Mailer');
