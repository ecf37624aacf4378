import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { closeOnQueryTimeout, dataSourceOptions } from './database.options';

describe('dataSourceOptions', () => {
  it('bounds every wait on PostgreSQL by DATABASE_TIMEOUT (3 s by default), the client 0.5 s after the server', () => {
    const extraOf = (options: DataSourceOptions) =>
      (options as { extra?: Record<string, unknown> }).extra;
    const options = dataSourceOptions('postgres://app@db.example:5432/auth');
    expect(options.type).toBe('postgres');
    expect(extraOf(options)).toMatchObject({
      connectionTimeoutMillis: 3000,
      statement_timeout: 3000,
      query_timeout: 3500,
    });
    expect(extraOf(dataSourceOptions('postgres://app@db.example:5432/auth', 1))).toMatchObject({
      connectionTimeoutMillis: 1000,
      statement_timeout: 1000,
      query_timeout: 1500,
      idle_in_transaction_session_timeout: 5000,
      keepAlive: true,
      onConnect: closeOnQueryTimeout,
    });
  });

  it('gives SQLite no pool options', () => {
    expect(dataSourceOptions('sqlite::memory:')).not.toHaveProperty('extra');
  });
});

describe('closeOnQueryTimeout', () => {
  function fakeClient(outcome: () => Promise<unknown>) {
    const destroy = jest.fn();
    const query = jest.fn<unknown, unknown[]>(() => outcome());
    const client = { query, connection: { stream: { destroy } } };
    closeOnQueryTimeout(client);
    return { client, query, destroy };
  }

  it('closes the connection of a query that hit query_timeout, and still rejects it', async () => {
    const { client, destroy } = fakeClient(() => Promise.reject(new Error('Query read timeout')));
    await expect(client.query('SELECT 1')).rejects.toThrow('Query read timeout');
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('leaves the connection alone after an answer or any other error', async () => {
    const ok = fakeClient(() => Promise.resolve({ rows: [] }));
    await expect(ok.client.query('SELECT 1', [])).resolves.toEqual({ rows: [] });
    expect(ok.query).toHaveBeenCalledWith('SELECT 1', []);
    const failed = fakeClient(() =>
      Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505' })),
    );
    await expect(failed.client.query('INSERT')).rejects.toThrow('duplicate key');
    expect(ok.destroy).not.toHaveBeenCalled();
    expect(failed.destroy).not.toHaveBeenCalled();
  });

  it('passes a callback-style call through', () => {
    const destroy = jest.fn();
    const query = jest.fn<unknown, unknown[]>(() => undefined);
    const client = { query, connection: { stream: { destroy } } };
    closeOnQueryTimeout(client);
    const callback = jest.fn();
    expect(client.query('SELECT 1', callback)).toBeUndefined();
    expect(query).toHaveBeenCalledWith('SELECT 1', callback);
  });

  describe('SQLite durability (SQLITE_SYNCHRONOUS)', () => {
    let directory: string;
    beforeAll(() => (directory = mkdtempSync(join(tmpdir(), 'sqlite-sync-'))));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    async function synchronousOf(mode?: 'full' | 'normal'): Promise<number> {
      const file = `sqlite:${join(directory, `${mode ?? 'default'}.sqlite`)}`;
      const dataSource = new DataSource(dataSourceOptions(file, undefined, mode));
      await dataSource.initialize();
      try {
        const [row] = await dataSource.query<Array<{ synchronous: number }>>('PRAGMA synchronous');
        return row.synchronous;
      } finally {
        await dataSource.destroy();
      }
    }

    // SQLite's numbers: 1 NORMAL, 2 FULL.
    it('syncs every commit to disk by default (FULL): a revocation answered survives a power loss', async () => {
      expect(await synchronousOf()).toBe(2);
    });

    it('syncs only at checkpoints with normal', async () => {
      expect(await synchronousOf('normal')).toBe(1);
    });
  });
});
