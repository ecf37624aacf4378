/** What a template makes: the subject and both bodies of one mail. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What a template with a link is given. `link` holds a live single-use token: put it in the mail, nowhere else. */
export interface LinkMailContext {
  /** The recipient's address. */
  email: string;
  /** `${appUrl}/<page>?token=…`. */
  link: string;
  /** Minutes until the link stops working. */
  validMinutes: number;
}

/** What the notice to the old address of an email change is given: no link. */
export interface EmailChangeNoticeContext {
  /** The old address: the recipient. */
  email: string;
  /** The address asked for. */
  newEmail: string;
}

/** A notice of a change to how the account signs in (no link): a second factor enrolled or removed. */
export interface SecurityNoticeContext {
  /** The account's address: the recipient. */
  email: string;
  /** What happened: `second_factor_enrolled` or `second_factor_removed` (by the user or an admin). */
  change: 'second_factor_enrolled' | 'second_factor_removed';
  /** Which factor (`totp`, `passkey`). */
  method: string;
}

/**
 * The mails of the account lifecycle. A host replaces any of them with the `mailTemplates` option; the defaults
 * below are short plain-text and HTML bodies. Values put into HTML must be escaped ({@link escapeHtml}).
 */
export interface MailTemplates {
  verifyEmail(context: LinkMailContext): RenderedMail;
  passwordReset(context: LinkMailContext): RenderedMail;
  confirmEmailChange(context: LinkMailContext): RenderedMail;
  emailChangeNotice(context: EmailChangeNoticeContext): RenderedMail;
  securityNotice(context: SecurityNoticeContext): RenderedMail;
}

/** `value` safe inside HTML text and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? '',
  );
}

function linkMail(subject: string, intro: string, action: string, footer: string) {
  return ({ link, validMinutes }: LinkMailContext): RenderedMail => ({
    subject,
    text: `${intro}\n\n${link}\n\nThe link works once, for ${validMinutes} minutes. ${footer}\n`,
    html:
      `<p>${escapeHtml(intro)}</p>` +
      `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>` +
      `<p>The link works once, for ${validMinutes} minutes. ${escapeHtml(footer)}</p>`,
  });
}

/** The built-in templates. */
export const defaultMailTemplates: MailTemplates = {
  verifyEmail: linkMail(
    'Verify your email address',
    'Open this link to confirm that this address is yours:',
    'Verify my address',
    'If you did not create an account, ignore this mail.',
  ),
  passwordReset: linkMail(
    'Reset your password',
    'Someone (hopefully you) asked to reset the password of your account. Open this link to choose a new one:',
    'Choose a new password',
    'If you did not ask for it, ignore this mail: your password stays as it is.',
  ),
  confirmEmailChange: linkMail(
    'Confirm your new email address',
    'Open this link to make this address the one of your account:',
    'Confirm my new address',
    'If you did not ask for it, ignore this mail.',
  ),
  emailChangeNotice: ({ newEmail }) => {
    const text =
      `Someone asked to change the address of your account to ${newEmail}. ` +
      'It changes only once the link sent there is opened. If this was not you, change your password now.';
    return {
      subject: 'A change of your email address was requested',
      text: `${text}\n`,
      html: `<p>${escapeHtml(text)}</p>`,
    };
  },
  securityNotice: ({ change, method }) => {
    const factor = method === 'totp' ? 'an authenticator app' : `a ${method}`;
    const [subject, text] =
      change === 'second_factor_enrolled'
        ? [
            'A second factor was added to your account',
            `Signing in to your account now also asks for a code of ${factor}; your other sessions were signed out.`,
          ]
        : [
            'A second factor was removed from your account',
            `Signing in to your account no longer asks for a code of ${factor}.`,
          ];
    const warning = `${text} If this was not you, reset your password now.`;
    return { subject, text: `${warning}\n`, html: `<p>${escapeHtml(warning)}</p>` };
  },
};
