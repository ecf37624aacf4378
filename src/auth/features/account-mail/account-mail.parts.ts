import { loadOptional } from '../../core/optional-package';
import { AccountLifecycle } from './account-lifecycle';
import { AccountMailController } from './account-mail.controller';
import { AccountMailHooks } from './account-mail.hooks';
import {
  MAIL_OPTIONS,
  pagesPath,
  type ResolvedMailOptions,
  resolveLinkPaths,
} from './account-mail.options';
import { mailPagesController } from './mail-pages.controller';
import { MailQuota } from './mail-quota';
import { FileOutboxMailer } from './file-outbox.mailer';
import { InMemoryMailStore } from './in-memory-mail.store';
import { MailOutboxWorker } from './mail-outbox.worker';
import { MAIL_STORE, type MailStore } from './mail-store.port';
import { MAILER, type Mailer } from './mailer.port';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { MailTransportNotice } from './mail-transport.notice';
import { SmtpMailer } from './smtp.mailer';
import type { FeatureContext, FeatureParts } from '../../core/auth-feature';

/** The TypeORM side of the feature, loaded only when it is used (TypeORM is an optional peer). */
export function typeormSide(): typeof import('./typeorm/mail-typeorm') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('./typeorm/mail-typeorm') as typeof import('./typeorm/mail-typeorm'),
    ['typeorm', '@nestjs/typeorm'],
    'accountMail on the built-in TypeORM stores',
    'give accountMail a mailStore of your own',
  );
}

/** The account mail feature's Nest parts: this file loads only when a host registers the feature. */
export function accountMailParts(
  resolved: ResolvedMailOptions,
  { typeorm, routePrefix }: FeatureContext,
): FeatureParts {
  const pages = pagesPath(resolved, routePrefix);
  const side =
    typeorm && resolved.mailStore === undefined ? typeormSide().mailTypeormParts() : undefined;
  return {
    imports: side?.imports ?? [],
    providers: [
      MailTransportNotice,
      {
        provide: MAIL_OPTIONS,
        useValue: { ...resolved, linkPaths: resolveLinkPaths(resolved, routePrefix) },
      },
      {
        provide: MAILER,
        inject: [AUTH_OPTIONS],
        useFactory: (auth: ResolvedAuthOptions) => chooseMailer(resolved, auth.production),
      },
      ...(side?.providers ?? []),
      {
        provide: MAIL_STORE,
        inject: side ? [side.store] : [],
        useFactory: (store?: MailStore) => resolved.mailStore ?? store ?? new InMemoryMailStore(),
      },
      MailOutboxWorker,
      AccountLifecycle,
      MailQuota,
      AccountMailHooks,
    ],
    controllers: [AccountMailController],
    userStoreMethods: ['markEmailVerified', 'updateEmail'],
    // At the root, not under the module's guards: a browser opening a link may hold the refresh cookie.
    rootControllers: pages === undefined ? [] : [mailPagesController(pages, routePrefix)],
    exports: [AccountLifecycle, MailOutboxWorker, MAILER, MAIL_STORE, MAIL_OPTIONS],
    hooks: [AccountMailHooks],
    prunables: [{ what: 'mail tokens', store: MAIL_STORE }],
  };
}

/**
 * The host's mailer, else SMTP, else `.eml` files: those only outside production unless the host opts in, since in
 * production nobody would read them and every link would be lost.
 * @throws Error at boot, in one line saying what to set, for file mail in production without the opt-in.
 */
function chooseMailer(options: ResolvedMailOptions, production: boolean): Mailer {
  if (options.mailer) return options.mailer;
  if (options.smtpUrl) return new SmtpMailer(options.smtpUrl);
  if (production && !options.allowFileMailInProduction) {
    throw new Error(
      'accountMail: production needs a mail transport: give accountMail({ smtpUrl }) or a mailer (or allowFileMailInProduction: true to keep writing .eml files)',
    );
  }
  return new FileOutboxMailer(options.mailOutboxDir);
}
