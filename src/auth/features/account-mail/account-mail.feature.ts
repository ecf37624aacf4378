import type { AuthFeature } from '../../core/auth-feature';
import { type AccountMailOptions, resolveMailOptions } from './account-mail.options';

/** The feature's Nest parts, loaded only for a host that registers it (docs/performance.md: Boot and memory). */
function featureParts(): typeof import('./account-mail.parts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./account-mail.parts') as typeof import('./account-mail.parts');
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
    typeormSchema: () => featureParts().typeormSide().mailSchema,
    parts: (context) => featureParts().accountMailParts(resolved, context),
  };
}
