import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../database/database.options';
import { type ResolvedAuthOptions } from '../../core/options/auth.options';
import { resolveAuthOptions } from '../../core/options/resolve-auth-options';
import { ManualClock } from '../../core/clock/manual-clock';
import { revocationWindowMs } from '../../core/model/revocation-list.port';
import {
  type PruneLimits,
  pruneRetentionMs,
  SessionPruner,
} from '../../core/sessions/session-pruner';
import type { SessionStore } from '../../core/model/session-store.port';
import { TypeOrmSessionStore } from './typeorm-session.store';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
/** The access-token lifetime of these options: 900 s. */
const RETENTION = pruneRetentionMs(900);

function options(pruneInterval = 3600): ResolvedAuthOptions {
  return resolveAuthOptions({
    jwtSecret: 'access-secret-0123456789abcdefghijklmn',
    jwtRefreshSecret: 'refresh-secret-0123456789abcdefghijklm',
    jwtExpiration: 900,
    pruneInterval,
  });
}

/** Resolves when told to: holds a call in flight. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('SessionPruner (SQLite in memory)', () => {
  let dataSource: DataSource;
  let store: TypeOrmSessionStore;
  let clock: ManualClock;
  let pruner: SessionPruner | undefined;
  let logged: { error: jest.SpyInstance; warn: jest.SpyInstance; log: jest.SpyInstance };

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions('sqlite::memory:'));
    await dataSource.initialize();
    store = new TypeOrmSessionStore(dataSource);
  });

  afterAll(() => dataSource.destroy());

  beforeEach(async () => {
    await dataSource.query('DELETE FROM auth_sessions');
    clock = new ManualClock(NOW);
    logged = {
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
    };
  });

  afterEach(async () => {
    await pruner?.onModuleDestroy();
    pruner = undefined;
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  function newPruner(
    limits: PruneLimits = { batchSize: 2, maxBatches: 10 },
    sessions: SessionStore = store,
    pruneInterval = 3600,
  ): SessionPruner {
    pruner = new SessionPruner(options(pruneInterval), sessions, clock, limits);
    return pruner;
  }

  /** A session of an hour of idleness, a day in all, from `createdAt`, with `revokedAt` if given. */
  async function createSession(createdAt: number, revokedAt?: number): Promise<string> {
    const id = randomUUID();
    const expiresAt = createdAt + HOUR;
    await store.createSession(
      {
        id,
        userId: randomUUID(),
        createdAt,
        lastUsedAt: createdAt,
        idleExpiresAt: expiresAt,
        absoluteExpiresAt: createdAt + 24 * HOUR,
        userAgent: null,
        ip: null,
        authTime: createdAt,
        amr: ['pwd'],
        acr: 'aal1',
      },
      { id: randomUUID(), issuedAt: createdAt, expiresAt, generation: 0 },
    );
    if (revokedAt !== undefined) await store.revokeSession(id, 'logout', revokedAt);
    return id;
  }

  /** `count` sessions idle since long before the retention. */
  async function createDeadSessions(count: number): Promise<string[]> {
    const ids = [];
    for (let i = 0; i < count; i += 1) ids.push(await createSession(NOW - 2 * HOUR - RETENTION));
    return ids;
  }

  /** A store as a host may write one: the port without its optional `pruneExpired`. */
  function storeWithoutPrune(): SessionStore {
    const hostStore: SessionStore = new TypeOrmSessionStore(dataSource);
    Object.defineProperty(hostStore, 'pruneExpired', { value: undefined });
    return hostStore;
  }

  async function countSessions(): Promise<number> {
    const [{ n }] = await dataSource.query<Array<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM auth_sessions',
    );
    return Number(n);
  }

  describe('pruneNow', () => {
    it('keeps what the revocation list may still need: the retention outlasts its window', () => {
      expect(RETENTION).toBe(960_000);
      expect(RETENTION).toBeGreaterThan(revocationWindowMs(900));
    });

    it('deletes the sessions dead for longer than the retention, and only those', async () => {
      const revokedLongAgo = await createSession(NOW - HOUR, NOW - RETENTION - 1);
      const revokedWithinRetention = await createSession(NOW - HOUR, NOW - RETENTION);
      const idleLongAgo = await createSession(NOW - HOUR - RETENTION - 1);
      const idleWithinRetention = await createSession(NOW - HOUR - RETENTION);
      const live = await createSession(NOW);

      await expect(newPruner().pruneNow()).resolves.toBe(2);

      await expect(store.findSession(revokedLongAgo)).resolves.toBeNull();
      await expect(store.findSession(idleLongAgo)).resolves.toBeNull();
      for (const kept of [revokedWithinRetention, idleWithinRetention, live]) {
        await expect(store.findSession(kept)).resolves.not.toBeNull();
      }
    });

    it('asks for batch after batch while they come back full, and stops at the first short one', async () => {
      await createDeadSessions(5);
      await createSession(NOW);
      const prune = jest.spyOn(store, 'pruneExpired');

      await expect(newPruner({ batchSize: 2, maxBatches: 10 }).pruneNow()).resolves.toBe(5);

      expect(prune.mock.calls).toEqual([
        [NOW - RETENTION, 2],
        [NOW - RETENTION, 2],
        [NOW - RETENTION, 2],
      ]);
      await expect(countSessions()).resolves.toBe(1);
    });

    it('stops after the per-run bound of batches; the next run goes on', async () => {
      await createDeadSessions(5);
      const prune = jest.spyOn(store, 'pruneExpired');
      const bounded = newPruner({ batchSize: 2, maxBatches: 2 });

      await expect(bounded.pruneNow()).resolves.toBe(4);
      expect(prune).toHaveBeenCalledTimes(2);
      await expect(countSessions()).resolves.toBe(1);

      await expect(bounded.pruneNow()).resolves.toBe(1);
      await expect(countSessions()).resolves.toBe(0);
    });

    it('never runs twice at once: calls made during a run wait for it', async () => {
      await createDeadSessions(5);
      let active = 0;
      let mostActive = 0;
      const real = store.pruneExpired.bind(store);
      jest.spyOn(store, 'pruneExpired').mockImplementation(async (before, limit) => {
        active += 1;
        mostActive = Math.max(mostActive, active);
        await new Promise((resolve) => setImmediate(resolve));
        try {
          return await real(before, limit);
        } finally {
          active -= 1;
        }
      });
      const sequential = newPruner({ batchSize: 2, maxBatches: 10 });

      const counts = await Promise.all([1, 2, 3].map(() => sequential.pruneNow()));

      expect(mostActive).toBe(1);
      expect(counts).toEqual([5, 0, 0]);
    });

    it('rejects when the store fails, and the next run works again', async () => {
      await createDeadSessions(1);
      jest
        .spyOn(store, 'pruneExpired')
        .mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
      const failing = newPruner();

      await expect(failing.pruneNow()).rejects.toThrow('database is locked');
      await expect(failing.pruneNow()).resolves.toBe(1);
    });

    it('deletes nothing, and answers 0, with a store that cannot prune', async () => {
      await expect(newPruner(undefined, storeWithoutPrune()).pruneNow()).resolves.toBe(0);
    });
  });

  describe('the schedule', () => {
    /** Only the interval timers are fake: the database and the promises run for real. */
    function fakeIntervals(): void {
      jest.useFakeTimers({
        doNotFake: [
          'Date',
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setTimeout',
          'clearTimeout',
        ],
      });
    }

    /** The runs the schedule starts, to wait for them. */
    function watchRuns(target: SessionPruner): Array<Promise<number>> {
      const runs: Array<Promise<number>> = [];
      const pruneNow = target.pruneNow.bind(target);
      jest.spyOn(target, 'pruneNow').mockImplementation(() => {
        const run = pruneNow();
        runs.push(run);
        return run;
      });
      return runs;
    }

    it('prunes every pruneInterval seconds, on a timer that does not keep the process alive', async () => {
      await createDeadSessions(3);
      const setIntervalSpy = jest.spyOn(global, 'setInterval');
      const scheduled = newPruner({ batchSize: 2, maxBatches: 10 }, store, 60);
      const runs = watchRuns(scheduled);

      scheduled.onApplicationBootstrap();

      expect(setIntervalSpy).toHaveBeenCalledTimes(1);
      expect(setIntervalSpy.mock.calls[0][1]).toBe(60_000);
      const timer = setIntervalSpy.mock.results[0].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      setIntervalSpy.mock.calls[0][0]();
      await expect(runs[0]).resolves.toBe(3);
      expect(logged.log).toHaveBeenCalledWith('Pruned 3 expired sessions');
    });

    it('stops on module destroy', async () => {
      fakeIntervals();
      const scheduled = newPruner(undefined, store, 60);
      const runs = watchRuns(scheduled);

      scheduled.onApplicationBootstrap();
      expect(jest.getTimerCount()).toBe(1);
      await scheduled.onModuleDestroy();

      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(10 * 60_000);
      expect(runs).toHaveLength(0);
    });

    it('on module destroy, waits for the batch in progress and starts no other', async () => {
      await createDeadSessions(5);
      const held = gate();
      const real = store.pruneExpired.bind(store);
      const prune = jest.spyOn(store, 'pruneExpired').mockImplementation(async (before, limit) => {
        await held.opened;
        return real(before, limit);
      });
      const stopping = newPruner({ batchSize: 2, maxBatches: 10 });
      const run = stopping.pruneNow();
      await new Promise((resolve) => setImmediate(resolve));

      let destroyed = false;
      const destroy = stopping.onModuleDestroy().then(() => (destroyed = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(destroyed).toBe(false);
      held.open();
      await destroy;

      await expect(run).resolves.toBe(2);
      expect(prune).toHaveBeenCalledTimes(1);
      await expect(countSessions()).resolves.toBe(3);
    });

    it('schedules nothing with pruneInterval 0', () => {
      fakeIntervals();
      const off = newPruner(undefined, store, 0);
      const runs = watchRuns(off);

      off.onApplicationBootstrap();

      expect(jest.getTimerCount()).toBe(0);
      expect(runs).toHaveLength(0);
      expect(logged.warn).not.toHaveBeenCalled();
    });

    it('schedules nothing, and says so once, with a store that cannot prune', () => {
      fakeIntervals();

      newPruner(undefined, storeWithoutPrune(), 60).onApplicationBootstrap();

      expect(jest.getTimerCount()).toBe(0);
      expect(logged.warn).toHaveBeenCalledTimes(1);
      expect(logged.warn.mock.calls[0][0]).toContain('no pruneExpired');
    });

    it('skips a tick while the previous run is still going', async () => {
      fakeIntervals();
      await createDeadSessions(1);
      const held = gate();
      const real = store.pruneExpired.bind(store);
      const prune = jest.spyOn(store, 'pruneExpired').mockImplementation(async (before, limit) => {
        await held.opened;
        return real(before, limit);
      });
      const scheduled = newPruner({ batchSize: 2, maxBatches: 10 }, store, 60);
      const runs = watchRuns(scheduled);
      scheduled.onApplicationBootstrap();

      jest.advanceTimersByTime(60_000);
      jest.advanceTimersByTime(60_000);
      jest.advanceTimersByTime(60_000);

      await new Promise((resolve) => setImmediate(resolve));

      expect(runs).toHaveLength(1);
      expect(prune).toHaveBeenCalledTimes(1);
      expect(logged.warn).toHaveBeenCalledTimes(2);
      expect(logged.warn.mock.calls[0][0]).toContain('previous run is still going');
      held.open();
      await expect(runs[0]).resolves.toBe(1);

      jest.advanceTimersByTime(60_000);
      expect(runs).toHaveLength(2);
      await expect(runs[1]).resolves.toBe(0);
    });

    it('logs a failed run as one line and throws nothing; the next tick runs again', async () => {
      fakeIntervals();
      await createDeadSessions(1);
      jest
        .spyOn(store, 'pruneExpired')
        .mockRejectedValueOnce(new Error('connection terminated\nunexpectedly'));
      const scheduled = newPruner(undefined, store, 60);
      const runs = watchRuns(scheduled);
      scheduled.onApplicationBootstrap();

      jest.advanceTimersByTime(60_000);
      await runs[0].catch(() => undefined);
      // The rejection is handled by the schedule: let its catch run.
      await new Promise((resolve) => setImmediate(resolve));

      expect(logged.error).toHaveBeenCalledTimes(1);
      const [line] = logged.error.mock.calls[0] as [string];
      expect(line).toBe('Pruning of expired sessions failed: connection terminated unexpectedly');
      jest.advanceTimersByTime(60_000);
      await expect(runs[1]).resolves.toBe(1);
    });
  });

  describe('the pruneInterval option', () => {
    const base = {
      jwtSecret: 'access-secret-0123456789abcdefghijklmn',
      jwtRefreshSecret: 'refresh-secret-0123456789abcdefghijklm',
    };

    it('defaults to an hour, and 0 is allowed (off)', () => {
      expect(resolveAuthOptions(base).pruneInterval).toBe(3600);
      expect(resolveAuthOptions({ ...base, pruneInterval: 0 }).pruneInterval).toBe(0);
      expect(resolveAuthOptions({ ...base, pruneInterval: 2_147_483 }).pruneInterval).toBe(
        2_147_483,
      );
    });

    it.each([-1, 1.5, Number.NaN, 2_147_484])('refuses %p, naming the option', (pruneInterval) => {
      expect(() => resolveAuthOptions({ ...base, pruneInterval })).toThrow(
        /pruneInterval must be a whole number of seconds from 0 to 2147483/,
      );
    });
  });
});
