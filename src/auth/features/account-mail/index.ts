/**
 * `nest-session-auth/account-mail`: the account-mail feature's factory and what a host may use of it (its service,
 * worker, ports, templates). The main entry re-exports only the factory.
 */
export { accountMail } from './account-mail.feature';
export { AccountLifecycle } from './account-lifecycle';
export {
  type AccountMailOptions,
  type EmailVerificationMode,
  MAIL_OPTIONS,
  type MailWorkerOptions,
  type ResolvedMailOptions,
} from './account-mail.options';
export { MailOutboxWorker } from './mail-outbox.worker';
export { MAILER, type Mailer, type OutgoingMail } from './mailer.port';
export {
  type ClaimedMail,
  MAIL_STORE,
  type MailStore,
  type NewMailToken,
  type SpentMailToken,
} from './mail-store.port';
export {
  defaultMailTemplates,
  type EmailChangeNoticeContext,
  escapeHtml,
  type LinkMailContext,
  type MailTemplates,
  type RenderedMail,
} from './mail-templates';
export { SmtpMailer } from './smtp.mailer';
export { FileOutboxMailer } from './file-outbox.mailer';
export type { MailTokenPurpose } from './mail-token';
