import { UserEntity } from '../users/user.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { SessionEntity } from '../sessions/session.entity';
import { CreateAuthTables1763900000000 } from './migrations/1763900000000-create-auth-tables';
import { IndexSessionDeadlines1763990000000 } from './migrations/1763990000000-index-session-deadlines';
import { WidenSessionUserId1764000000000 } from './migrations/1764000000000-widen-session-user-id';
import { RecordSessionClients1764600000000 } from './migrations/1764600000000-record-session-clients';
import { NormalizeEmails1764700000000 } from './migrations/1764700000000-normalize-emails';
import { AdministerUsers1764750000000 } from './migrations/1764750000000-administer-users';
import { AccountLifecycleMail1764800000000 } from './migrations/1764800000000-account-lifecycle-mail';
import { MailOutboxEntity } from '../mail/mail-outbox.entity';
import { MailTokenEntity } from '../mail-tokens/mail-token.entity';

/** The entities of the built-in TypeORM stores, for a host's data source (or use `autoLoadEntities: true`). */
export const authEntities = [
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  MailTokenEntity,
  MailOutboxEntity,
];

/**
 * The migrations that create the module's tables, on SQLite and PostgreSQL: add them to the host's data source
 * `migrations` (and run them), rather than relying on `synchronize`.
 */
export const authMigrations = [
  CreateAuthTables1763900000000,
  IndexSessionDeadlines1763990000000,
  WidenSessionUserId1764000000000,
  RecordSessionClients1764600000000,
  NormalizeEmails1764700000000,
  AdministerUsers1764750000000,
  AccountLifecycleMail1764800000000,
];
