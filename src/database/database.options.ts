import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { RefreshTokenEntity, SessionEntity, UserEntity } from '../auth';
import { CreateAuthTables1763900000000 } from './migrations/1763900000000-create-auth-tables';

export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity];

/** Listed, not globbed: the same list works from `dist/`, from ts-jest and from a bundle. */
export const MIGRATIONS = [CreateAuthTables1763900000000];

/**
 * TypeORM options for a `DATABASE_URL`: `sqlite:<file>`, `sqlite::memory:` or `postgres://...`.
 * Migrations run at boot; `synchronize` is never on.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
  } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    const inMemory = file === ':memory:';
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: inMemory ? ':memory:' : resolve(file),
      // WAL lets readers proceed while a rotation writes.
      enableWAL: !inMemory,
      ...common,
    };
  }
  return { type: 'postgres', url: databaseUrl, ...common };
}
