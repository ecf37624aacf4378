import { isPositiveInteger, withoutUndefined } from '../../core/options/option-checks';
import type { MailTemplates } from './mail-templates';
import type { Mailer } from './mailer.port';
import type { MailStore } from './mail-store.port';

/**
 * Options of the account-mail feature (`accountMail({...})`): verification, password reset and email change by
 * mailed links. Lifetimes are in seconds.
 */
export interface AccountMailOptions {
  /**
   * Base of the links sent by mail (`${appUrl}/verify-email?token=…`, `/reset-password`, `/confirm-email`): where
   * the host serves those pages. Default `http://localhost:3000`.
   */
  appUrl?: string;
  /**
   * The paths of the three pages under `appUrl` (`${appUrl}/${path}?token=…`), each without the origin. Default
   * `verify-email`, `reset-password`, `confirm-email`; with `pages`, the module's own pages.
   */
  linkPaths?: LinkPaths;
  /**
   * Serve the module's three plain pages that mailed links open (HTML and one same-origin script posting the token
   * to the module's routes): `true` at `<routePrefix>/pages/verify-email`, `/reset-password`, `/confirm-email`, or
   * `{ path }` under another path. The links then point there unless `linkPaths` says otherwise. Default false: the
   * host serves those pages itself.
   */
  pages?: boolean | { path: string };
  /** Sender of every mail (an RFC 5322 address, optionally with a display name). Default `nest-auth <no-reply@localhost>`. */
  mailFrom?: string;
  /**
   * `off`: no verification mail; `optional` (default): a verification mail at registration; `required`: as
   * `optional`, and the login of an unverified account answers 403 `Email not verified` (`EMAIL_NOT_VERIFIED`).
   * Access tokens carry `email_verified` whatever this says.
   */
  emailVerification?: EmailVerificationMode;
  /** Lifetime of the links of verification and email-change mails. Default 86400 (a day). */
  emailTokenTtl?: number;
  /** Lifetime of the links of password-reset mails. Default 1800. */
  passwordResetTtl?: number;
  /**
   * `smtp://user:pass@host:port` or `smtps://…`: mail goes there through nodemailer. Unset (and no `mailer`): each
   * mail is written as an `.eml` file to `mailOutboxDir`, for development.
   */
  smtpUrl?: string;
  /** Where the development mailer writes `.eml` files when neither `mailer` nor `smtpUrl` is set. Default `data/outbox`. */
  mailOutboxDir?: string;
  /**
   * Accept the `.eml` files of `mailOutboxDir` as the mail transport when AuthModule's `production` option is true
   * (a host that collects those files itself). Without it, production with neither `smtpUrl` nor `mailer` stops the
   * boot: users would never get their mail. Default false.
   */
  allowFileMailInProduction?: boolean;
  /** The host's own mail transport (a provider API, a queue): replaces SMTP and the `.eml` files. */
  mailer?: Mailer;
  /** Replaces some or all of the mail templates (subject, text and HTML of each mail). */
  mailTemplates?: Partial<MailTemplates>;
  /**
   * Where mail tokens and the outbox live. Default: TypeORM tables `auth_mail_tokens` and `auth_mail_outbox` when a
   * built-in TypeORM store is registered, else in process (pending mail is then lost by a restart).
   */
  mailStore?: MailStore;
  /**
   * The outbox worker, in milliseconds: how often it looks for mail to send (`pollInterval`, default 2000; 0 turns
   * the worker off on this instance), the longest wait between two attempts at one mail (`maxRetryDelay`, default
   * 300000; waits double from 1 s up to it), and the attempts after which a mail is given up (`maxAttempts`, 20).
   */
  mailWorker?: MailWorkerOptions;
  /**
   * The per-address quota (CONTRACT §4.10): at most `limit` mails of one kind to one mailbox per `ttl` seconds,
   * whoever asks; `false` turns it off (a host that limits mail itself). Default `{ limit: 10, ttl: 60 }`.
   */
  mailQuota?: { limit: number; ttl: number } | false;
}

/** See {@link AccountMailOptions.linkPaths}. */
export interface LinkPaths {
  verifyEmail?: string;
  resetPassword?: string;
  confirmEmail?: string;
}

/** See {@link AccountMailOptions.mailWorker}. */
export interface MailWorkerOptions {
  pollInterval?: number;
  maxRetryDelay?: number;
  maxAttempts?: number;
}

/** What `emailVerification` takes. */
export type EmailVerificationMode = 'off' | 'optional' | 'required';

/** The options with their defaults, checked. */
export type ResolvedMailOptions = Required<
  Omit<AccountMailOptions, 'smtpUrl' | 'mailer' | 'mailStore' | 'mailWorker' | 'linkPaths'>
> &
  Pick<AccountMailOptions, 'smtpUrl' | 'mailer' | 'mailStore'> & {
    mailWorker: Required<MailWorkerOptions>;
    /** As given: the defaults depend on `pages` and the route prefix (see {@link resolveLinkPaths}). */
    linkPaths: LinkPaths;
  };

/** The resolved {@link AccountMailOptions} (an injection token). */
export const MAIL_OPTIONS = Symbol('AccountMailOptions');

const DEFAULTS = {
  appUrl: 'http://localhost:3000',
  mailFrom: 'nest-auth <no-reply@localhost>',
  emailVerification: 'optional',
  emailTokenTtl: 86_400,
  passwordResetTtl: 1800,
  mailOutboxDir: 'data/outbox',
  allowFileMailInProduction: false,
  mailTemplates: {},
  linkPaths: {},
  pages: false,
  mailQuota: { limit: 10, ttl: 60 },
} satisfies AccountMailOptions;

const WORKER_DEFAULTS = { pollInterval: 2000, maxRetryDelay: 300_000, maxAttempts: 20 };

/** The longest interval a Node timer takes, in milliseconds. */
const MAX_TIMER_MS = 2_147_483_647;

const KEYS = new Set<string>([
  ...Object.keys(DEFAULTS),
  'smtpUrl',
  'mailer',
  'mailStore',
  'mailWorker',
]);

/**
 * `options` with their defaults.
 * @throws Error at registration, in one line naming every bad or unknown option.
 */
export function resolveMailOptions(options: AccountMailOptions = {}): ResolvedMailOptions {
  const given = withoutUndefined(options);
  const resolved = {
    ...DEFAULTS,
    ...given,
    mailWorker: { ...WORKER_DEFAULTS, ...withoutUndefined(options.mailWorker ?? {}) },
  } as ResolvedMailOptions;
  const problems = [
    ...Object.keys(options)
      .filter((key) => !KEYS.has(key))
      .map((key) => `${key} is not an option of accountMail`),
    ...mailProblems(resolved),
  ];
  if (problems.length > 0) throw new Error(`Invalid accountMail options: ${problems.join('; ')}`);
  return resolved;
}

function mailProblems(options: ResolvedMailOptions): string[] {
  const problems: string[] = [];
  if (!/^https?:\/\/[^\s]+$/.test(options.appUrl)) {
    problems.push('appUrl must be an http(s) URL such as https://app.example.com');
  }
  if (!['off', 'optional', 'required'].includes(options.emailVerification)) {
    problems.push('emailVerification must be off, optional or required');
  }
  for (const name of ['emailTokenTtl', 'passwordResetTtl'] as const) {
    if (!isPositiveInteger(options[name])) {
      problems.push(`${name} must be a positive whole number of seconds`);
    }
  }
  if (options.smtpUrl !== undefined && !/^smtps?:\/\/.+/.test(options.smtpUrl)) {
    problems.push('smtpUrl must be smtp://user:pass@host:port or smtps://…');
  }
  for (const [name, path] of Object.entries(options.linkPaths)) {
    if (path !== undefined && !isLinkPath(path)) {
      problems.push(
        `linkPaths.${name} must be a path such as account/verify (letters, digits, - _ . / only)`,
      );
    }
  }
  if (typeof options.pages === 'object' && !isLinkPath(options.pages.path)) {
    problems.push(
      'pages.path must be a path such as account/pages (letters, digits, - _ . / only)',
    );
  }
  const { mailQuota } = options;
  if (
    mailQuota !== false &&
    !(isPositiveInteger(mailQuota?.limit) && isPositiveInteger(mailQuota?.ttl))
  ) {
    problems.push('mailQuota must be false or { limit, ttl } with positive whole numbers');
  }
  const { pollInterval, maxRetryDelay, maxAttempts } = options.mailWorker;
  if (!Number.isInteger(pollInterval) || pollInterval < 0 || pollInterval > MAX_TIMER_MS) {
    problems.push('mailWorker.pollInterval must be a whole number of milliseconds, 0 or more');
  }
  if (!isPositiveInteger(maxRetryDelay)) {
    problems.push('mailWorker.maxRetryDelay must be a positive whole number of milliseconds');
  }
  if (!isPositiveInteger(maxAttempts)) {
    problems.push('mailWorker.maxAttempts must be a positive whole number');
  }
  return problems;
}

/** A path the links may carry as is: no origin, no query, nothing to escape. */
function isLinkPath(path: unknown): path is string {
  return typeof path === 'string' && /^\/?[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/.test(path);
}

/** Where the module's pages are served (`pages`), without slashes at its ends; undefined when it serves none. */
export function pagesPath(options: ResolvedMailOptions, routePrefix: string): string | undefined {
  if (options.pages === false) return undefined;
  const path = options.pages === true ? `${routePrefix}/pages` : options.pages.path;
  return path.replace(/^\/+|\/+$/g, '');
}

/** The three link paths: as given, else the module's pages when it serves them, else the reference server's. */
export function resolveLinkPaths(
  options: ResolvedMailOptions,
  routePrefix: string,
): Required<LinkPaths> {
  const pages = pagesPath(options, routePrefix);
  const base = pages === undefined ? '' : `${pages}/`;
  const trim = (path: string) => path.replace(/^\/+/, '');
  return {
    verifyEmail: trim(options.linkPaths.verifyEmail ?? `${base}verify-email`),
    resetPassword: trim(options.linkPaths.resetPassword ?? `${base}reset-password`),
    confirmEmail: trim(options.linkPaths.confirmEmail ?? `${base}confirm-email`),
  };
}
