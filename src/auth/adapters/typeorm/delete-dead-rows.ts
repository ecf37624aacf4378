import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { transaction } from './transaction';

/** Which rows of a table are dead: its table name, its key column, and the condition (it may use `:now`). */
export interface DeadRows {
  readonly entity: EntityTarget<ObjectLiteral>;
  readonly table: string;
  readonly key: string;
  readonly dead: string;
}

/**
 * Deletes at most `limit` dead rows of one table in one statement, for a store's `pruneExpired`: on PostgreSQL the
 * rows another pruner holds are skipped (`FOR UPDATE SKIP LOCKED`), so instances pruning at once never wait on
 * each other. Returns how many were deleted.
 */
export function deleteDeadRows(
  dataSource: DataSource,
  { entity, table, key, dead }: DeadRows,
  now: number,
  limit: number,
): Promise<number> {
  const lock = dataSource.options.type === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  return transaction(dataSource, async (manager) => {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(entity)
      .where(`${key} IN (SELECT ${key} FROM ${table} WHERE ${dead} LIMIT :limit${lock})`, {
        now,
        limit,
      })
      .execute();
    return result.affected ?? 0;
  });
}
