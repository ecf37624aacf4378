import type { DataSource, EntityManager } from 'typeorm';

/** A write waiting for SQLite's connection: settled once the transaction it ran in is committed (or not). */
interface QueuedWrite {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface WriteQueue {
  waiting: QueuedWrite[];
  draining: boolean;
}

/** At most this many writes share one commit: a bound on how long the first of them waits for the last. */
export const SQLITE_GROUP_COMMIT_MAX = 32;

/** Each work's own savepoint inside a shared transaction; distinct from TypeORM's `typeorm_<n>`. */
const SAVEPOINT = 'auth_write';

const sqliteQueues = new WeakMap<DataSource, WriteQueue>();

/**
 * Runs `work` in one transaction. SQLite drivers give TypeORM a single connection shared by every caller, so two
 * overlapping `dataSource.transaction()` calls would nest inside each other (and roll back each other's work):
 * there, writes are queued and run one after the other. PostgreSQL gets ordinary pooled transactions.
 *
 * On SQLite the writes that queued up while a commit ran share the next one (group commit): each in a savepoint of
 * its own, so one that throws is rolled back alone and rejects with its own error, while the others commit. A
 * durable commit (`synchronous=FULL`) syncs the write-ahead log to disk, which costs more than the writes
 * themselves; one sync for several writes lets concurrent refreshes go past the disk's rate of one-row commits.
 * Every guarantee of a single transaction holds for each work: it runs alone on the connection, sees what the works
 * before it wrote, is atomic, and its promise settles only once its commit is on disk (or failed, then every work
 * of that commit rejects with the commit's error).
 */
export function transaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isSqlite(dataSource)) return dataSource.transaction(work);
  let queue = sqliteQueues.get(dataSource);
  if (queue === undefined) {
    queue = { waiting: [], draining: false };
    sqliteQueues.set(dataSource, queue);
  }
  const queued = queue;
  return new Promise<T>((resolve, reject) => {
    queued.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!queued.draining) void drain(dataSource, queued);
  });
}

/**
 * Commits the queue's writes, a group at a time, until none is waiting. Each group starts after the event loop's
 * next poll for I/O (`setImmediate`): better-sqlite3 answers synchronously, so a group runs from its BEGIN to its
 * COMMIT in promise callbacks alone, and a group started at once would hold only the write that started it; the
 * requests that arrived meanwhile reach their writes in that poll, and join the group.
 */
async function drain(dataSource: DataSource, queue: WriteQueue): Promise<void> {
  queue.draining = true;
  try {
    while (queue.waiting.length > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await commitGroup(dataSource, queue.waiting.splice(0, SQLITE_GROUP_COMMIT_MAX));
    }
  } finally {
    queue.draining = false;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function commitGroup(dataSource: DataSource, group: QueuedWrite[]): Promise<void> {
  const outcomes: Outcome[] = [];
  try {
    await dataSource.transaction(async (manager) => {
      // Alone, a work needs no savepoint: its error rolls the transaction back and rejects it below.
      if (group.length === 1) {
        outcomes.push({ ok: true, value: await group[0].work(manager) });
        return;
      }
      for (const write of group) outcomes.push(await inSavepoint(manager, write.work));
    });
  } catch (error) {
    // BEGIN or COMMIT failed, or a lone work threw: nothing of the group is on disk.
    for (const write of group) write.reject(error);
    return;
  }
  group.forEach((write, k) => {
    const outcome = outcomes[k];
    if (outcome.ok) write.resolve(outcome.value);
    else write.reject(outcome.error);
  });
}

async function inSavepoint(
  manager: EntityManager,
  work: (manager: EntityManager) => Promise<unknown>,
): Promise<Outcome> {
  await manager.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const value = await work(manager);
    await manager.query(`RELEASE ${SAVEPOINT}`);
    return { ok: true, value };
  } catch (error) {
    // A failure here (the connection gone) propagates: the whole group is rolled back and rejected.
    await manager.query(`ROLLBACK TO ${SAVEPOINT}`);
    await manager.query(`RELEASE ${SAVEPOINT}`);
    return { ok: false, error };
  }
}

/** Whether the data source is SQLite, whose single connection serializes the module's writes (see {@link transaction}). */
export function isSqlite(dataSource: DataSource): boolean {
  // TypeORM 0.3 also had a `sqlite` driver (the sqlite3 package); 1.x has only `better-sqlite3`.
  const type: string = dataSource.options.type;
  return type === 'better-sqlite3' || type === 'sqlite';
}
