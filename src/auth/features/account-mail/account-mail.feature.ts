import type { AuthFeature } from '../../core/auth-feature';
import { loadOptional } from '../../core/optional-package';
import { AccountLifecycle } from './account-lifecycle';
import { AccountMailController } from './account-mail.controller';
import { AccountMailHooks } from './account-mail.hooks';
import {
  type AccountMailOptions,
  MAIL_OPTIONS,
  pagesPath,
  type ResolvedMailOptions,
  resolveLinkPaths,
  resolveMailOptions,
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

/** The TypeORM side of the feature, loaded only when it is used (TypeORM is an optional peer). */
function typeormSide(): typeof import('./typeorm/mail-typeorm') {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('./typeorm/mail-typeorm') as typeof import('./typeorm/mail-typeorm'),
    ['typeorm', '@nestjs/typeorm'],
    'accountMail on the built-in TypeORM stores',
    'give accountMail a mailStore of your own',
  );
}

/**
 * The account lifecycle by mail: `POST /verify-email/request`, `/verify-email`, `/password/forgot`,
 * `/password/reset`, `/email`, `/email/confirm` under the module's prefix, the verification mail at registration,
 * and an outbox worker sending every mail with retries (requests never wait on SMTP).
 *
 * Mail tokens and the outbox live in the tables `auth_mail_tokens` and `auth_mail_outbox` (on the host's data source
 * when a built-in TypeORM store is registered; else in process, or in `mailStore`). A host injects
 * {@link AccountLifecycle} to start these flows itself and `MailOutboxWorker` to drain the outbox in its tests.
 * @throws Error at once, naming each bad or unknown option.
 * @example `features: [accountMail({ appUrl: 'https://app.example.com', smtpUrl: process.env.SMTP_URL })]`
 */
export function accountMail(options: AccountMailOptions = {}): AuthFeature {
  const resolved = resolveMailOptions(options);
  return {
    id: 'account-mail',
    typeormSchema: () => typeormSide().mailSchema,
    parts: ({ typeorm, routePrefix }) => {
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
            useFactory: (store?: MailStore) =>
              resolved.mailStore ?? store ?? new InMemoryMailStore(),
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
    },
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
