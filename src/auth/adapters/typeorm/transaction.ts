import type { DataSource, EntityManager } from 'typeorm';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one transaction. SQLite drivers give TypeORM a single connection shared by every caller, so two
 * overlapping `dataSource.transaction()` calls would nest inside each other (and roll back each other's work):
 * there, write transactions are queued one after the other. PostgreSQL gets ordinary pooled transactions.
 */
export function transaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isSqlite(dataSource)) return dataSource.transaction(work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const result = previous.then(() => dataSource.transaction(work));
  sqliteQueues.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}

/** Whether the data source is SQLite, whose single connection serializes the module's writes (see {@link transaction}). */
export function isSqlite(dataSource: DataSource): boolean {
  // TypeORM 0.3 also had a `sqlite` driver (the sqlite3 package); 1.x has only `better-sqlite3`.
  const type: string = dataSource.options.type;
  return type === 'better-sqlite3' || type === 'sqlite';
}
