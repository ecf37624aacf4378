import { UserEntity } from './user.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { CreateAuthTables1763900000000 } from './migrations/1763900000000-create-auth-tables';
import { IndexSessionDeadlines1763990000000 } from './migrations/1763990000000-index-session-deadlines';
import { WidenSessionUserId1764000000000 } from './migrations/1764000000000-widen-session-user-id';
import { RecordSessionClients1764600000000 } from './migrations/1764600000000-record-session-clients';
import { NormalizeEmails1764700000000 } from './migrations/1764700000000-normalize-emails';
import { AdministerUsers1764750000000 } from './migrations/1764750000000-administer-users';
import { AccountLifecycleMail1764800000000 } from './migrations/1764800000000-account-lifecycle-mail';
import { RefreshTokenGeneration1765100000000 } from './migrations/1765100000000-refresh-token-generation';
import { CredentialEpoch1765200000000 } from './migrations/1765200000000-credential-epoch';
import { RecordSessionAuthentication1765400000000 } from './migrations/1765400000000-record-session-authentication';
import type { Type } from '@nestjs/common';
import type { AuthFeature } from '../../core/auth-feature';

const CORE_ENTITIES: readonly Type[] = [UserEntity, SessionEntity, RefreshTokenEntity];

const CORE_MIGRATIONS: readonly Type[] = [
  CreateAuthTables1763900000000,
  IndexSessionDeadlines1763990000000,
  WidenSessionUserId1764000000000,
  RecordSessionClients1764600000000,
  NormalizeEmails1764700000000,
  AdministerUsers1764750000000,
  AccountLifecycleMail1764800000000,
  RefreshTokenGeneration1765100000000,
  CredentialEpoch1765200000000,
  RecordSessionAuthentication1765400000000,
];

/**
 * The entities of the built-in TypeORM stores and of `features`' tables, for a host's data source (or use
 * `autoLoadEntities: true`). Pass the list given to `AuthModule` (default: {@link defaultFeatures}), so that a feature
 * left out brings no entity.
 * @example `entities: [...authEntities(features), ...yourEntities]`
 */
export function authEntities(features: readonly AuthFeature[]): Type[] {
  return [
    ...CORE_ENTITIES,
    ...features.flatMap((feature) => feature.typeormSchema?.().entities ?? []),
  ];
}

/**
 * The migrations that create the core's tables and `features`' tables, on SQLite and PostgreSQL, in timestamp order:
 * add them to the host's data source `migrations` (and run them), rather than relying on `synchronize`. Pass the
 * feature list given to `AuthModule`, so that a feature left out creates no table.
 * @example `migrations: [...authMigrations(features), ...yourMigrations]`
 */
export function authMigrations(features: readonly AuthFeature[]): Type[] {
  const all = [
    ...CORE_MIGRATIONS,
    ...features.flatMap((feature) => feature.typeormSchema?.().migrations ?? []),
  ];
  // TypeORM runs them in the order of the timestamp that ends each class name.
  return all.sort((a, b) => timestampOf(a) - timestampOf(b));
}

function timestampOf(migration: Type): number {
  return Number(/(\d{13})$/.exec(migration.name)?.[1] ?? 0);
}
