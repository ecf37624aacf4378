import { ManualClock } from '../clock/manual-clock';
import { InMemoryRevocationList } from './in-memory-revocation-list';
import { revocationWindowMs } from '../model/revocation-list.port';

describe('InMemoryRevocationList', () => {
  let clock: ManualClock;
  let list: InMemoryRevocationList;

  beforeEach(() => {
    clock = new ManualClock(1_800_000_000_000);
    list = new InMemoryRevocationList(clock);
  });

  afterEach(() => list.onModuleDestroy());

  it('does not know a session that was never revoked', () => {
    expect(list.isRevoked('session-a')).toBe(false);
    expect(list.size).toBe(0);
  });

  it('holds a session revoked until the given time, and only that session', async () => {
    await list.revoke('session-a', clock.now() + 60_000);

    expect(list.isRevoked('session-a')).toBe(true);
    expect(list.isRevoked('session-b')).toBe(false);
    clock.advance(59_999);
    expect(list.isRevoked('session-a')).toBe(true);
  });

  it('forgets the session at that time', async () => {
    await list.revoke('session-a', clock.now() + 60_000);

    clock.advance(60_000);

    expect(list.isRevoked('session-a')).toBe(false);
    expect(list.size).toBe(0);
  });

  it('never shortens a revocation when the same session is revoked again with an earlier time', async () => {
    await list.revoke('session-a', clock.now() + 60_000);
    await list.revoke('session-a', clock.now() + 1_000);

    clock.advance(30_000);

    expect(list.isRevoked('session-a')).toBe(true);
  });

  it('extends a revocation revoked again with a later time', async () => {
    await list.revoke('session-a', clock.now() + 1_000);
    await list.revoke('session-a', clock.now() + 60_000);

    clock.advance(30_000);

    expect(list.isRevoked('session-a')).toBe(true);
  });

  it('records a batch as each of its entries, never shortening one', async () => {
    await list.revoke('session-a', clock.now() + 60_000);

    await list.revokeMany([
      { sessionId: 'session-a', until: clock.now() + 1_000 },
      { sessionId: 'session-b', until: clock.now() + 30_000 },
    ]);

    clock.advance(20_000);
    expect(list.isRevoked('session-a')).toBe(true);
    expect(list.isRevoked('session-b')).toBe(true);
    clock.advance(10_000);
    expect(list.isRevoked('session-b')).toBe(false);
  });

  it('remembers a revocation for one access-token lifetime plus a second', () => {
    expect(revocationWindowMs(900)).toBe(901_000);
  });

  describe('cut-offs (a role change: the session lives on)', () => {
    const second = 1_800_000_000;

    it('refuses the tokens issued up to the cut-off second, and no later one', async () => {
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second },
      ]);

      expect(list.isRevoked('session-a', second - 100)).toBe(true);
      expect(list.isRevoked('session-a', second)).toBe(true);
      expect(list.isRevoked('session-a', second + 1)).toBe(false);
    });

    it('is no revocation of the session itself', async () => {
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second },
      ]);

      expect(list.isRevoked('session-a')).toBe(false);
    });

    it('is widened by a revocation, which no later cut-off narrows again', async () => {
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second },
      ]);
      await list.revoke('session-a', clock.now() + 60_000);
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second + 5 },
      ]);

      expect(list.isRevoked('session-a', second + 10)).toBe(true);
      expect(list.isRevoked('session-a')).toBe(true);
    });

    it('moves forward with a later cut-off, never back with an earlier one', async () => {
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second + 5 },
      ]);
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second },
      ]);

      expect(list.isRevoked('session-a', second + 5)).toBe(true);
      expect(list.isRevoked('session-a', second + 6)).toBe(false);
    });

    it('is forgotten at its time like a revocation', async () => {
      await list.revokeMany([
        { sessionId: 'session-a', until: clock.now() + 60_000, issuedUpTo: second },
      ]);

      clock.advance(60_000);

      expect(list.isRevoked('session-a', second)).toBe(false);
      expect(list.size).toBe(0);
    });
  });

  it('tells its listeners which sessions were revoked, one call per batch', async () => {
    const heard: string[][] = [];
    list.onRevoked((sessionIds) => heard.push([...sessionIds]));

    await list.revoke('session-a', clock.now() + 60_000);
    await list.revokeMany([
      { sessionId: 'session-b', until: clock.now() + 60_000 },
      { sessionId: 'session-c', until: clock.now() + 60_000 },
    ]);

    expect(heard).toEqual([['session-a'], ['session-b', 'session-c']]);
  });

  it('stops telling a listener that unsubscribed, and goes on past one that throws', async () => {
    const heard: string[] = [];
    list.onRevoked(() => {
      throw new Error('listener failure');
    });
    const unsubscribe = list.onRevoked((sessionIds) => heard.push(...sessionIds));
    await list.revoke('session-a', clock.now() + 60_000);

    unsubscribe();
    await list.revoke('session-b', clock.now() + 60_000);

    expect(heard).toEqual(['session-a']);
    expect(list.isRevoked('session-b')).toBe(true);
  });
});
