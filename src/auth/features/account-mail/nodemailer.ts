import { loadOptional } from '../../core/optional-package';

/**
 * nodemailer, an optional peer, loaded when a mailer that needs it is made (SMTP, or the `.eml` files of
 * development), so that a host with a mailer of its own installs none.
 * @param purpose what needs it, for the message.
 * @throws MissingPeerError naming nodemailer and how to do without it.
 */
export function loadNodemailer(purpose: string): typeof import('nodemailer') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('nodemailer') as typeof import('nodemailer'),
    ['nodemailer'],
    purpose,
    'give accountMail a mailer of your own',
  );
}
