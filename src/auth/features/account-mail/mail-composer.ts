import type { ResolvedMailOptions } from './account-mail.options';
import type { MailTokenPurpose } from './mail-token';
import {
  defaultMailTemplates,
  type MailTemplates,
  type SecurityNoticeContext,
} from './mail-templates';
import type { OutboxSeal } from './outbox-seal';

const TEMPLATES: Record<MailTokenPurpose, 'verifyEmail' | 'passwordReset' | 'confirmEmailChange'> =
  {
    verify_email: 'verifyEmail',
    password_reset: 'passwordReset',
    email_change: 'confirmEmailChange',
  };

/** Renders the mails of the account lifecycle from the templates and seals them for the outbox. */
export class MailComposer {
  private readonly templates: MailTemplates;
  private readonly appUrl: string;
  /** The page that takes each purpose's token: the host's, the module's (`pages`) or the reference server's. */
  private readonly pages: Record<MailTokenPurpose, string>;

  constructor(
    private readonly options: Pick<
      ResolvedMailOptions,
      'appUrl' | 'mailFrom' | 'mailTemplates' | 'linkPaths'
    >,
    private readonly seal: OutboxSeal,
  ) {
    this.templates = { ...defaultMailTemplates, ...options.mailTemplates };
    this.appUrl = options.appUrl.replace(/\/+$/, '');
    const paths = options.linkPaths;
    this.pages = {
      verify_email: paths.verifyEmail ?? 'verify-email',
      password_reset: paths.resetPassword ?? 'reset-password',
      email_change: paths.confirmEmail ?? 'confirm-email',
    };
  }

  /** The sealed mail to `to` with the link of `token`, valid `ttlSeconds`. */
  linkMail(purpose: MailTokenPurpose, to: string, token: string, ttlSeconds: number): string {
    const link = `${this.appUrl}/${this.pages[purpose]}?token=${encodeURIComponent(token)}`;
    const rendered = this.templates[TEMPLATES[purpose]]({
      email: to,
      link,
      validMinutes: Math.round(ttlSeconds / 60),
    });
    return this.seal.seal({ from: this.options.mailFrom, to, ...rendered });
  }

  /** The sealed notice to the old address that a change to `newEmail` was asked for (no link). */
  emailChangeNotice(to: string, newEmail: string): string {
    const rendered = this.templates.emailChangeNotice({ email: to, newEmail });
    return this.seal.seal({ from: this.options.mailFrom, to, ...rendered });
  }

  /** The sealed notice to the account's address of a change to how it signs in (no link). */
  securityNotice(context: SecurityNoticeContext): string {
    const rendered = this.templates.securityNotice(context);
    return this.seal.seal({ from: this.options.mailFrom, to: context.email, ...rendered });
  }
}
