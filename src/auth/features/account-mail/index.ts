import { TypeOrmModule } from '@nestjs/typeorm';
import type { AuthFeature } from '../../core/auth-feature';
import { AccountLifecycle } from './account-lifecycle';
import { AccountMailController } from './account-mail.controller';
import { FileOutboxMailer } from './file-outbox.mailer';
import { InMemoryMailStore } from './in-memory-mail.store';
import { MailOutboxEntity } from './typeorm/mail-outbox.entity';
import { MailOutboxWorker } from './mail-outbox.worker';
import { MAIL_STORE } from './mail-store.port';
import { MAILER } from './mailer.port';
import { SmtpMailer } from './smtp.mailer';
import { TypeOrmMailStore } from './typeorm/typeorm-mail.store';
import { MailTokenEntity } from './typeorm/mail-token.entity';
import { AddressThrottleGuard } from './address-throttle.guard';
import { AccountMailHooks } from './account-mail.hooks';
import { type AccountMailOptions, MAIL_OPTIONS, resolveMailOptions } from './account-mail.options';
import { CreateMailTables1765000000000 } from './typeorm/1765000000000-create-mail-tables';
import { BindMailTokens1765200000001 } from './typeorm/1765200000001-bind-mail-tokens';

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
    entities: [MailTokenEntity, MailOutboxEntity],
    migrations: [CreateMailTables1765000000000, BindMailTokens1765200000001],
    parts: ({ typeorm }) => {
      const onDataSource = typeorm && resolved.mailStore === undefined;
      return {
        imports: onDataSource
          ? [TypeOrmModule.forFeature([MailTokenEntity, MailOutboxEntity])]
          : [],
        providers: [
          { provide: MAIL_OPTIONS, useValue: resolved },
          {
            provide: MAILER,
            useFactory: () =>
              resolved.mailer ??
              (resolved.smtpUrl
                ? new SmtpMailer(resolved.smtpUrl)
                : new FileOutboxMailer(resolved.mailOutboxDir)),
          },
          ...(onDataSource ? [TypeOrmMailStore] : []),
          {
            provide: MAIL_STORE,
            inject: onDataSource ? [TypeOrmMailStore] : [],
            useFactory: (store?: TypeOrmMailStore) =>
              resolved.mailStore ?? store ?? new InMemoryMailStore(),
          },
          MailOutboxWorker,
          AccountLifecycle,
          AddressThrottleGuard,
          AccountMailHooks,
        ],
        controllers: [AccountMailController],
        exports: [AccountLifecycle, MailOutboxWorker, MAILER, MAIL_STORE, MAIL_OPTIONS],
        hooks: [AccountMailHooks],
      };
    },
  };
}

export type {
  AccountMailOptions,
  EmailVerificationMode,
  MailWorkerOptions,
  ResolvedMailOptions,
} from './account-mail.options';
export { MAIL_OPTIONS };
