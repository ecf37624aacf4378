import { DataSource } from 'typeorm';
import { SQLITE_GROUP_COMMIT_MAX, transaction } from './transaction';

describe('transaction on SQLite (group commit)', () => {
  let dataSource: DataSource;
  const rows = async () =>
    (await dataSource.query<{ v: string }[]>('SELECT v FROM t ORDER BY rowid')).map((row) => row.v);

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (v TEXT NOT NULL UNIQUE)');
  });
  afterAll(() => dataSource.destroy());
  beforeEach(() => dataSource.query('DELETE FROM t'));

  it('runs concurrent writes one after the other, each seeing those before it', async () => {
    const counts = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        transaction(dataSource, async (manager) => {
          await manager.query('INSERT INTO t (v) VALUES (?)', [v]);
          const [{ n }] = await manager.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM t');
          return n;
        }),
      ),
    );
    expect(counts).toEqual([1, 2, 3]);
    expect(await rows()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back a failing write alone, with its own error, and commits the others of its group', async () => {
    const results = await Promise.allSettled([
      transaction(dataSource, (manager) => manager.query('INSERT INTO t (v) VALUES (?)', ['x'])),
      transaction(dataSource, async (manager) => {
        await manager.query('INSERT INTO t (v) VALUES (?)', ['half']);
        throw new Error('second fails');
      }),
      transaction(dataSource, (manager) => manager.query('INSERT INTO t (v) VALUES (?)', ['x'])),
      transaction(dataSource, (manager) => manager.query('INSERT INTO t (v) VALUES (?)', ['y'])),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('second fails'));
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await rows()).toEqual(['x', 'y']);
  });

  it('rolls back a lone failing write', async () => {
    await expect(
      transaction(dataSource, async (manager) => {
        await manager.query('INSERT INTO t (v) VALUES (?)', ['lone']);
        throw new Error('lone fails');
      }),
    ).rejects.toThrow('lone fails');
    expect(await rows()).toEqual([]);
  });

  it('commits more writes than one group holds', async () => {
    const count = SQLITE_GROUP_COMMIT_MAX * 2 + 1;
    await Promise.all(
      Array.from({ length: count }, (_, k) =>
        transaction(dataSource, (manager) =>
          manager.query('INSERT INTO t (v) VALUES (?)', [`r${k}`]),
        ),
      ),
    );
    expect(await rows()).toHaveLength(count);
  });
});
