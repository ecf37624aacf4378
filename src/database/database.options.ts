import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { authEntities, authMigrations } from '../auth';

/**
 * TypeORM options for a `DATABASE_URL`: `sqlite:<file>`, `sqlite::memory:` or `postgres://...`.
 * Migrations run at boot; `synchronize` is never on.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  // Listed, not globbed: the same lists work from `dist/`, from ts-jest and from a bundle.
  const common = {
    entities: authEntities,
    migrations: authMigrations,
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
