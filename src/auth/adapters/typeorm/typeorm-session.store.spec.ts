import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../database/database.options';
import type { NewRefreshToken, SessionRecord, Spender } from '../../core/model/session-store.port';
import { TypeOrmSessionStore } from './typeorm-session.store';

/** A real SQLite database in memory, schema made by the migrations, as at boot. */
const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const SPENDER: Spender = { fingerprint: 'f'.repeat(64), ip: '203.0.113.7', userAgent: 'refresher' };

type NewSession = Omit<SessionRecord, 'revokedAt' | 'lastIp' | 'lastUserAgent'>;

/** A session as the store gives it back: live, last used by its login's client. */
function stored(session: NewSession): SessionRecord {
  return { ...session, revokedAt: null, lastIp: session.ip, lastUserAgent: session.userAgent };
}

describe('TypeOrmSessionStore (SQLite in memory)', () => {
  let dataSource: DataSource;
  let store: TypeOrmSessionStore;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions('sqlite::memory:'));
    await dataSource.initialize();
    store = new TypeOrmSessionStore(dataSource);
  });

  afterAll(() => dataSource.destroy());

  function newToken(issuedAt = NOW): NewRefreshToken {
    return { id: randomUUID(), issuedAt, expiresAt: issuedAt + HOUR, generation: 0 };
  }

  /** Creates a session (live for an hour of idleness, a day in all) with its first token. */
  async function createSession(
    userId: string,
    overrides: Partial<NewSession> = {},
  ): Promise<{ session: NewSession; firstToken: NewRefreshToken }> {
    const createdAt = overrides.createdAt ?? NOW;
    const firstToken = newToken(createdAt);
    const session = {
      id: randomUUID(),
      userId,
      createdAt,
      lastUsedAt: createdAt,
      idleExpiresAt: firstToken.expiresAt,
      absoluteExpiresAt: createdAt + 24 * HOUR,
      userAgent: 'jest',
      ip: '127.0.0.1',
      authTime: createdAt,
      amr: ['pwd'],
      acr: 'aal1' as const,
      ...overrides,
    };
    await store.createSession(session, firstToken);
    return { session, firstToken };
  }

  describe('createSession', () => {
    it('stores the session, live, and its first refresh token, unspent', async () => {
      const { session, firstToken } = await createSession(randomUUID());

      await expect(store.findSession(session.id)).resolves.toEqual(stored(session));
      await expect(store.findRefreshToken(firstToken.id)).resolves.toEqual({
        ...firstToken,
        sessionId: session.id,
        spentAt: null,
        successorId: null,
        spentBy: null,
      });
    });

    it('finds nothing for unknown ids', async () => {
      await expect(store.findSession(randomUUID())).resolves.toBeNull();
      await expect(store.findRefreshToken(randomUUID())).resolves.toBeNull();
    });
  });

  describe('findRefreshContext', () => {
    it('reads the session, the presented token and, once it is spent, its successor', async () => {
      const { session, firstToken } = await createSession(randomUUID());
      const successor = newToken(NOW + 1_000);

      await expect(store.findRefreshContext(session.id, firstToken.id)).resolves.toEqual({
        session: stored(session),
        presented: await store.findRefreshToken(firstToken.id),
        successor: null,
      });
      await store.rotate(session.id, firstToken.id, successor, NOW + 1_000, SPENDER);

      const context = await store.findRefreshContext(session.id, firstToken.id);
      expect(context?.presented).toMatchObject({ spentAt: NOW + 1_000, successorId: successor.id });
      expect(context?.successor).toEqual(await store.findRefreshToken(successor.id));
      expect(context?.session).toMatchObject({ lastUsedAt: NOW + 1_000, lastIp: SPENDER.ip });
    });

    it('finds nothing for an unknown token, or a token of another session', async () => {
      const mine = await createSession(randomUUID());
      const theirs = await createSession(randomUUID());

      await expect(store.findRefreshContext(mine.session.id, randomUUID())).resolves.toBeNull();
      await expect(
        store.findRefreshContext(theirs.session.id, mine.firstToken.id),
      ).resolves.toBeNull();
    });
  });

  describe('reauthenticate', () => {
    const MFA = { authTime: NOW + 5_000, amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' as const };

    it("records the new authentication, which a rotation keeps, and answers the session's current token", async () => {
      const { session, firstToken } = await createSession(randomUUID());
      const successor = newToken(NOW + 1_000);
      await store.rotate(session.id, firstToken.id, successor, NOW + 1_000, SPENDER);

      const current = await store.reauthenticate(session.id, MFA, NOW + 5_000);

      expect(current).toEqual(await store.findRefreshToken(successor.id));
      await expect(store.findSession(session.id)).resolves.toMatchObject(MFA);
      const next = newToken(NOW + 6_000);
      await store.rotate(session.id, successor.id, next, NOW + 6_000, SPENDER);
      const context = await store.findRefreshContext(session.id, next.id);
      expect(context?.session).toMatchObject(MFA);
    });

    it('changes nothing of a revoked or expired session, and answers null', async () => {
      const revoked = await createSession(randomUUID());
      await store.revokeSession(revoked.session.id, 'logout', NOW + 1);
      const expired = await createSession(randomUUID());

      await expect(store.reauthenticate(revoked.session.id, MFA, NOW + 2)).resolves.toBeNull();
      await expect(
        store.reauthenticate(expired.session.id, MFA, NOW + 2 * HOUR),
      ).resolves.toBeNull();
      await expect(store.findSession(revoked.session.id)).resolves.toMatchObject({ acr: 'aal1' });
    });

    it('reads a row from before the columns as its login by password', async () => {
      const { session, firstToken } = await createSession(randomUUID());
      await dataSource.query(
        'UPDATE auth_sessions SET auth_time = NULL, amr = NULL, acr = NULL WHERE id = ?',
        [session.id],
      );

      const legacy = { authTime: session.createdAt, amr: ['pwd'], acr: 'aal1' };
      await expect(store.findSession(session.id)).resolves.toMatchObject(legacy);
      const context = await store.findRefreshContext(session.id, firstToken.id);
      expect(context?.session).toMatchObject(legacy);
    });
  });

  describe('rotate', () => {
    it("answers a lost race with the winner's successor, as stored", async () => {
      const { session, firstToken } = await createSession(randomUUID());
      const winner = newToken(NOW + 1_000);
      await store.rotate(session.id, firstToken.id, winner, NOW + 1_000, SPENDER);

      const result = await store.rotate(
        session.id,
        firstToken.id,
        newToken(),
        NOW + 2_000,
        SPENDER,
      );

      expect(result).toEqual({
        won: false,
        spent: await store.findRefreshToken(firstToken.id),
        successor: await store.findRefreshToken(winner.id),
      });
    });

    it('spends the token, stores its successor, and moves the idle deadline', async () => {
      const { session, firstToken } = await createSession(randomUUID());
      const successor = newToken(NOW + 60_000);

      await expect(
        store.rotate(session.id, firstToken.id, successor, NOW + 60_000, SPENDER),
      ).resolves.toEqual({
        won: true,
      });

      await expect(store.findRefreshToken(firstToken.id)).resolves.toMatchObject({
        spentAt: NOW + 60_000,
        successorId: successor.id,
      });
      await expect(store.findRefreshToken(successor.id)).resolves.toMatchObject({
        sessionId: session.id,
        spentAt: null,
      });
      await expect(store.findSession(session.id)).resolves.toMatchObject({
        lastUsedAt: NOW + 60_000,
        idleExpiresAt: successor.expiresAt,
        absoluteExpiresAt: session.absoluteExpiresAt,
      });
    });

    it("records the spending client on the spent token and as the session's last use", async () => {
      const { session, firstToken } = await createSession(randomUUID());

      await store.rotate(session.id, firstToken.id, newToken(NOW + 1_000), NOW + 1_000, SPENDER);

      await expect(store.findRefreshToken(firstToken.id)).resolves.toMatchObject({
        spentBy: SPENDER.fingerprint,
      });
      await expect(store.findSession(session.id)).resolves.toMatchObject({
        ip: session.ip,
        userAgent: session.userAgent,
        lastIp: SPENDER.ip,
        lastUserAgent: SPENDER.userAgent,
      });
    });

    it('lets exactly one of 25 concurrent rotations of one token win; the others see its successor', async () => {
      const { session, firstToken } = await createSession(randomUUID());
      const successors = Array.from({ length: 25 }, () => newToken(NOW + 1_000));

      const results = await Promise.all(
        successors.map((successor) =>
          store.rotate(session.id, firstToken.id, successor, NOW + 1_000, SPENDER),
        ),
      );

      const winners = successors.filter((_, index) => results[index].won);
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      for (const result of results) {
        if (result.won) continue;
        expect(result.spent).toMatchObject({
          id: firstToken.id,
          spentAt: NOW + 1_000,
          successorId: winner.id,
        });
      }
      const stored = await Promise.all(successors.map((s) => store.findRefreshToken(s.id)));
      expect(stored.flatMap((token) => (token === null ? [] : [token.id]))).toEqual([winner.id]);
    });

    it('does not spend a token of another session', async () => {
      const mine = await createSession(randomUUID());
      const theirs = await createSession(randomUUID());

      const result = await store.rotate(
        theirs.session.id,
        mine.firstToken.id,
        newToken(),
        NOW,
        SPENDER,
      );

      expect(result.won).toBe(false);
      await expect(store.findRefreshToken(mine.firstToken.id)).resolves.toMatchObject({
        spentAt: null,
      });
    });
  });

  describe('revokeSession', () => {
    it('revokes a live session once: true, then false', async () => {
      const { session } = await createSession(randomUUID());

      await expect(store.revokeSession(session.id, 'logout', NOW + 5)).resolves.toBe(true);
      await expect(store.revokeSession(session.id, 'logout', NOW + 10)).resolves.toBe(false);

      await expect(store.findSession(session.id)).resolves.toMatchObject({ revokedAt: NOW + 5 });
    });

    it('answers false for an unknown session', async () => {
      await expect(store.revokeSession(randomUUID(), 'logout', NOW)).resolves.toBe(false);
    });
  });

  describe('revokeUserSessions', () => {
    it('revokes every live session of the user but the one excepted, and no one else’s', async () => {
      const userId = randomUUID();
      const first = await createSession(userId);
      const kept = await createSession(userId);
      const third = await createSession(userId);
      const stranger = await createSession(randomUUID());

      const revoked = await store.revokeUserSessions(
        userId,
        'password_change',
        NOW + 1,
        kept.session.id,
      );

      expect([...revoked].sort()).toEqual([first.session.id, third.session.id].sort());
      await expect(store.findSession(first.session.id)).resolves.toMatchObject({
        revokedAt: NOW + 1,
      });
      await expect(store.findSession(third.session.id)).resolves.toMatchObject({
        revokedAt: NOW + 1,
      });
      await expect(store.findSession(kept.session.id)).resolves.toMatchObject({ revokedAt: null });
      await expect(store.findSession(stranger.session.id)).resolves.toMatchObject({
        revokedAt: null,
      });
    });

    it('revokes every live session of the user with no exception, and returns only those it revoked', async () => {
      const userId = randomUUID();
      const live = await createSession(userId);
      const alreadyRevoked = await createSession(userId);
      await store.revokeSession(alreadyRevoked.session.id, 'logout', NOW);

      const revoked = await store.revokeUserSessions(userId, 'logout', NOW + 1);

      expect(revoked).toEqual([live.session.id]);
      await expect(store.findSession(alreadyRevoked.session.id)).resolves.toMatchObject({
        revokedAt: NOW,
      });
      await expect(store.revokeUserSessions(userId, 'logout', NOW + 2)).resolves.toEqual([]);
    });
  });

  describe('listLiveSessions', () => {
    it('lists the live sessions of the user, newest first, leaving out revoked and expired ones', async () => {
      const userId = randomUUID();
      const older = await createSession(userId, {
        createdAt: NOW - 2 * HOUR,
        idleExpiresAt: NOW + HOUR,
      });
      const newer = await createSession(userId, {
        createdAt: NOW - HOUR,
        idleExpiresAt: NOW + HOUR,
      });
      const revoked = await createSession(userId);
      await store.revokeSession(revoked.session.id, 'logout', NOW);
      await createSession(userId, { createdAt: NOW - 2 * HOUR, idleExpiresAt: NOW - 1 });
      await createSession(userId, { createdAt: NOW - 25 * HOUR, absoluteExpiresAt: NOW });
      await createSession(randomUUID());

      const sessions = await store.listLiveSessions(userId, NOW, 100);

      expect(sessions.map((session) => session.id)).toEqual([newer.session.id, older.session.id]);
      expect(sessions[0]).toEqual(stored(newer.session));
    });

    it('answers at most `limit` sessions, the newest', async () => {
      const userId = randomUUID();
      const sessions = [];
      for (let index = 0; index < 4; index += 1) {
        sessions.push(await createSession(userId, { createdAt: NOW - index * 1_000 }));
      }

      const listed = await store.listLiveSessions(userId, NOW, 2);

      expect(listed.map((session) => session.id)).toEqual(
        sessions.slice(0, 2).map(({ session }) => session.id),
      );
    });

    it('drops a session at its idle deadline exactly', async () => {
      const userId = randomUUID();
      await createSession(userId, { idleExpiresAt: NOW + 1_000 });

      await expect(store.listLiveSessions(userId, NOW + 999, 100)).resolves.toHaveLength(1);
      await expect(store.listLiveSessions(userId, NOW + 1_000, 100)).resolves.toHaveLength(0);
    });
  });

  describe('retireExcessSessions', () => {
    it('revokes the live sessions beyond the most recently used ones, and no others', async () => {
      const userId = randomUUID();
      const oldest = await createSession(userId, {
        createdAt: NOW - 3 * HOUR,
        lastUsedAt: NOW - 3 * HOUR,
        idleExpiresAt: NOW + HOUR,
      });
      const usedLately = await createSession(userId, {
        createdAt: NOW - 2 * HOUR,
        lastUsedAt: NOW - 1,
        idleExpiresAt: NOW + HOUR,
      });
      const middle = await createSession(userId, {
        createdAt: NOW - HOUR,
        lastUsedAt: NOW - HOUR,
        idleExpiresAt: NOW + HOUR,
      });
      const newest = await createSession(userId, {
        createdAt: NOW,
        lastUsedAt: NOW,
        idleExpiresAt: NOW + HOUR,
      });
      const someoneElse = await createSession(randomUUID(), {
        lastUsedAt: NOW - 10 * HOUR,
        idleExpiresAt: NOW + HOUR,
      });

      const retired = await store.retireExcessSessions(userId, 2, NOW);

      expect(retired.sort()).toEqual([oldest.session.id, middle.session.id].sort());
      const live = await store.listLiveSessions(userId, NOW, 100);
      expect(live.map((session) => session.id).sort()).toEqual(
        [usedLately.session.id, newest.session.id].sort(),
      );
      await expect(store.findSession(oldest.session.id)).resolves.toMatchObject({ revokedAt: NOW });
      await expect(store.findSession(someoneElse.session.id)).resolves.toMatchObject({
        revokedAt: null,
      });
      await expect(store.retireExcessSessions(userId, 2, NOW)).resolves.toEqual([]);
    });
  });

  describe('listRevokedSince', () => {
    it('lists the sessions revoked at or after the given time, with when', async () => {
      const since = NOW + 10 * HOUR;
      const before = await createSession(randomUUID());
      const atSince = await createSession(randomUUID());
      const after = await createSession(randomUUID());
      const live = await createSession(randomUUID());
      await store.revokeSession(before.session.id, 'logout', since - 1);
      await store.revokeSession(atSince.session.id, 'logout', since);
      await store.revokeSession(after.session.id, 'refresh_token_reuse', since + 5);

      const revoked = await store.listRevokedSince(since);

      const ids = revoked.map((entry) => entry.id);
      expect(ids).toEqual(expect.arrayContaining([atSince.session.id, after.session.id]));
      expect(ids).not.toContain(before.session.id);
      expect(ids).not.toContain(live.session.id);
      expect(revoked.find((entry) => entry.id === after.session.id)?.revokedAt).toBe(since + 5);
    });
  });

  describe('cutAccessTokens', () => {
    it("cuts every session of the user its revocation would reach, no one else's, and lists each cut-off with its second", async () => {
      const since = NOW + 20 * HOUR;
      const userId = randomUUID();
      const live = await createSession(userId);
      const idle = await createSession(userId, { idleExpiresAt: NOW + 1 });
      const revoked = await createSession(userId);
      await store.revokeSession(revoked.session.id, 'logout', NOW);
      const stranger = await createSession(randomUUID());

      const cut = await store.cutAccessTokens(userId, since + 1_500);

      expect([...cut].sort()).toEqual([live.session.id, idle.session.id].sort());
      const rows = await store.listRevokedSince(since);
      const ofCut = rows.filter((row) => cut.includes(row.id));
      expect(ofCut).toEqual(
        expect.arrayContaining(
          cut.map((id) => ({
            id,
            revokedAt: since + 1_500,
            issuedUpTo: Math.floor((since + 1_500) / 1000),
          })),
        ),
      );
      expect(rows.map((row) => row.id)).not.toContain(stranger.session.id);
      // The sessions live on.
      await expect(store.findSession(live.session.id)).resolves.toMatchObject({ revokedAt: null });
    });
  });

  describe('pruneExpired', () => {
    // Each case counts what is deleted: it starts from empty tables.
    beforeEach(() => dataSource.query('DELETE FROM auth_sessions'));

    async function countRows(table: 'auth_sessions' | 'auth_refresh_tokens'): Promise<number> {
      const [{ n }] = await dataSource.query<Array<{ n: number }>>(
        `SELECT COUNT(*) AS n FROM ${table}`,
      );
      return Number(n);
    }

    it('deletes the sessions dead before the cutoff with their refresh tokens, and keeps the others', async () => {
      const cutoff = NOW;
      const userId = randomUUID();
      const live = await createSession(userId);
      const revokedAtCutoff = await createSession(userId);
      await store.revokeSession(revokedAtCutoff.session.id, 'logout', cutoff);
      const revokedBefore = await createSession(userId);
      await store.revokeSession(revokedBefore.session.id, 'logout', cutoff - 1);
      const idleAtCutoff = await createSession(userId, { idleExpiresAt: cutoff });
      const idleBefore = await createSession(userId, { idleExpiresAt: cutoff - 1 });
      const absoluteAtCutoff = await createSession(userId, { absoluteExpiresAt: cutoff });
      const absoluteBefore = await createSession(userId, { absoluteExpiresAt: cutoff - 1 });
      // A chain of two tokens (the rotation moves the idle deadline to NOW - HOUR): both go with the session.
      const rotated = newToken(NOW - 2 * HOUR);
      await store.rotate(
        idleBefore.session.id,
        idleBefore.firstToken.id,
        rotated,
        NOW - 2 * HOUR,
        SPENDER,
      );

      await expect(store.pruneExpired(cutoff, 100)).resolves.toBe(3);

      for (const gone of [revokedBefore, idleBefore, absoluteBefore]) {
        await expect(store.findSession(gone.session.id)).resolves.toBeNull();
        await expect(store.findRefreshToken(gone.firstToken.id)).resolves.toBeNull();
      }
      await expect(store.findRefreshToken(rotated.id)).resolves.toBeNull();
      for (const kept of [live, revokedAtCutoff, idleAtCutoff, absoluteAtCutoff]) {
        await expect(store.findSession(kept.session.id)).resolves.not.toBeNull();
        await expect(store.findRefreshToken(kept.firstToken.id)).resolves.not.toBeNull();
      }
      await expect(countRows('auth_sessions')).resolves.toBe(4);
      await expect(countRows('auth_refresh_tokens')).resolves.toBe(4);
      await expect(store.pruneExpired(cutoff, 100)).resolves.toBe(0);
    });

    it('relies on SQLite enforcing the cascade: foreign keys are on', async () => {
      await expect(dataSource.query('PRAGMA foreign_keys')).resolves.toEqual([{ foreign_keys: 1 }]);
    });

    it('deletes at most `limit` sessions per call', async () => {
      for (let i = 0; i < 5; i += 1) await createSession(randomUUID(), { idleExpiresAt: NOW - 1 });
      await createSession(randomUUID());

      const counts = [];
      for (let i = 0; i < 4; i += 1) counts.push(await store.pruneExpired(NOW, 2));

      expect(counts).toEqual([2, 2, 1, 0]);
      await expect(countRows('auth_sessions')).resolves.toBe(1);
      await expect(countRows('auth_refresh_tokens')).resolves.toBe(1);
    });

    it('is harmless when called several times at once: each dead session is deleted once', async () => {
      for (let i = 0; i < 5; i += 1) await createSession(randomUUID(), { idleExpiresAt: NOW - 1 });

      const counts = await Promise.all([1, 2, 3].map(() => store.pruneExpired(NOW, 4)));

      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(5);
      await expect(countRows('auth_sessions')).resolves.toBe(0);
    });
  });
});
