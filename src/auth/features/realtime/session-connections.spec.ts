import { ManualClock } from '../../core/clock/manual-clock';
import { InMemoryRevocationList } from '../../core/revocation/in-memory-revocation-list';
import { type ConnectionEnd, SessionConnections } from './session-connections';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SessionConnections', () => {
  let clock: ManualClock;
  let revocations: InMemoryRevocationList;
  let connections: SessionConnections;
  let closed: Array<[string, ConnectionEnd]>;
  const HOUR = 3_600_000;

  const open = (name: string, sessionId: string, expiresAt = clock.now() + HOUR) =>
    connections.register(sessionId, expiresAt, {
      close: (reason) => closed.push([name, reason]),
    });

  beforeEach(() => {
    clock = new ManualClock(1_800_000_000_000);
    revocations = new InMemoryRevocationList(clock);
    connections = new SessionConnections(revocations, clock);
    connections.onModuleInit();
    closed = [];
  });

  afterEach(() => {
    connections.onModuleDestroy();
    revocations.onModuleDestroy();
  });

  it('closes every connection of a revoked session, and only those', async () => {
    open('a1', 'session-a');
    open('a2', 'session-a');
    open('b', 'session-b');

    await revocations.revoke('session-a', clock.now() + HOUR);

    expect(closed).toEqual([
      ['a1', 'revoked'],
      ['a2', 'revoked'],
    ]);
    expect(connections.size).toBe(1);
  });

  describe("a cut-off (the user's roles changed, the session lives on)", () => {
    const second = 1_800_000_000;
    const openIssued = (name: string, issuedAt: number) =>
      connections.register(
        'session-a',
        clock.now() + HOUR,
        { close: (reason) => closed.push([name, reason]) },
        issuedAt,
      );
    const cutOff = (issuedUpTo: number) =>
      revocations.revokeMany([{ sessionId: 'session-a', until: clock.now() + HOUR, issuedUpTo }]);

    it('closes the connections holding a token issued up to it, and keeps those with a later one', async () => {
      openIssued('old', second - 60);
      openIssued('same second', second);
      openIssued('new', second + 1);

      await cutOff(second);

      expect(closed).toEqual([
        ['old', 'revoked'],
        ['same second', 'revoked'],
      ]);
      expect(connections.size).toBe(1);
    });

    it('spares a connection re-authenticated with a newer token, even when the cut-off is heard again', async () => {
      const registration = openIssued('reauthenticated', second - 60);
      registration.extend(clock.now() + HOUR, second + 1);

      await cutOff(second);
      await cutOff(second);

      expect(closed).toEqual([]);
    });

    it('refuses at once a connection registering with a token issued before it', async () => {
      await cutOff(second);

      openIssued('late', second - 1);

      expect(closed).toEqual([['late', 'revoked']]);
    });
  });

  it('closes a connection of a session revoked before it registered at once', async () => {
    await revocations.revoke('session-a', clock.now() + HOUR);

    open('a', 'session-a');

    expect(closed).toEqual([['a', 'revoked']]);
    expect(connections.size).toBe(0);
  });

  it('closes a connection when its access token expires', async () => {
    open('a', 'session-a', clock.now() + 30);

    await sleep(80);

    expect(closed).toEqual([['a', 'expired']]);
  });

  it('keeps a connection open past the first expiry once extended', async () => {
    const registration = open('a', 'session-a', clock.now() + 30);

    registration.extend(clock.now() + HOUR);
    await sleep(80);

    expect(closed).toEqual([]);
  });

  it('forgets a connection that unregistered: neither revocation nor expiry closes it', async () => {
    open('a', 'session-a', clock.now() + 30).unregister();

    await revocations.revoke('session-a', clock.now() + HOUR);
    await sleep(80);

    expect(closed).toEqual([]);
    expect(connections.size).toBe(0);
  });
});
