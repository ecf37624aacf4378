import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../database/database.options';
import { InMemoryMfaStore } from './in-memory-mfa.store';
import type { MfaStore } from './mfa-store.port';
import { TypeOrmMfaStore } from './typeorm/typeorm-mfa.store';

const NOW = 1_800_000_000_000;

/** Both stores honour the port: each code is spent by one conditional write (replay refused). */
describe.each([
  [
    'in memory',
    () => Promise.resolve({ store: new InMemoryMfaStore(), close: () => Promise.resolve() }),
  ],
  [
    'TypeORM (SQLite in memory, schema by the migrations)',
    async () => {
      const dataSource = new DataSource(dataSourceOptions('sqlite::memory:'));
      await dataSource.initialize();
      return { store: new TypeOrmMfaStore(dataSource), close: () => dataSource.destroy() };
    },
  ],
])('MfaStore %s', (_name, open: () => Promise<{ store: MfaStore; close: () => Promise<void> }>) => {
  let store: MfaStore;
  let close: () => Promise<void>;
  let n = 0;
  const newUser = () => `user-${(n += 1)}`;

  beforeAll(async () => ({ store, close } = await open()));
  afterAll(() => close());

  async function enabled(userId: string, step = 100): Promise<void> {
    await store.savePendingTotp(userId, 'v1.sealed', NOW);
    expect(await store.enableTotp(userId, step, ['h1', 'h2'], NOW)).toBe(true);
  }

  it('accepts a step once, refuses it and any older one after (replay), takes a newer one', async () => {
    const userId = newUser();
    await enabled(userId, 100);

    expect(await store.useTotpStep(userId, 100)).toBe(false);
    expect(await store.useTotpStep(userId, 101)).toBe(true);
    expect(await store.useTotpStep(userId, 101)).toBe(false);
    expect(await store.useTotpStep(userId, 100)).toBe(false);
    expect(await store.useTotpStep(userId, 102)).toBe(true);
  });

  it('lets exactly one of two racing uses of a step win', async () => {
    const userId = newUser();
    await enabled(userId, 100);

    const results = await Promise.all([
      store.useTotpStep(userId, 105),
      store.useTotpStep(userId, 105),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('uses no step of a pending factor, and replaces a pending one but never an enabled one', async () => {
    const userId = newUser();
    expect(await store.savePendingTotp(userId, 'v1.first', NOW)).toBe(true);
    expect(await store.useTotpStep(userId, 1)).toBe(false);
    expect(await store.savePendingTotp(userId, 'v1.second', NOW)).toBe(true);
    expect((await store.findTotp(userId))?.sealedSecret).toBe('v1.second');

    expect(await store.enableTotp(userId, 7, [], NOW)).toBe(true);
    expect(await store.savePendingTotp(userId, 'v1.third', NOW)).toBe(false);
    expect(await store.enableTotp(userId, 8, [], NOW)).toBe(false);
  });

  it('spends a recovery code once, and renewing voids the old ones', async () => {
    const userId = newUser();
    await enabled(userId);

    expect(await store.useRecoveryCode(userId, 'h1', NOW)).toBe(true);
    expect(await store.useRecoveryCode(userId, 'h1', NOW)).toBe(false);
    expect(await store.useRecoveryCode(newUser(), 'h2', NOW)).toBe(false);
    expect(await store.countRecoveryCodes(userId)).toBe(1);
    await store.replaceRecoveryCodes(userId, ['h3'], NOW);
    expect(await store.useRecoveryCode(userId, 'h2', NOW)).toBe(false);
    expect(await store.countRecoveryCodes(userId)).toBe(1);
  });

  it('spends a challenge once, never one past its failures or its expiry', async () => {
    const userId = newUser();
    await store.createChallenge({ id: `${userId}-a`, userId, expiresAt: NOW + 300_000 });
    await store.createChallenge({ id: `${userId}-b`, userId, expiresAt: NOW + 300_000 });
    for (let failure = 1; failure <= 5; failure += 1) {
      expect(await store.failChallenge(`${userId}-b`)).toBe(failure);
    }

    expect(await store.spendChallenge(`${userId}-a`, NOW + 300_000, 5)).toBe(false);
    expect(await store.spendChallenge(`${userId}-a`, NOW, 5)).toBe(true);
    expect(await store.spendChallenge(`${userId}-a`, NOW, 5)).toBe(false);
    expect(await store.spendChallenge(`${userId}-b`, NOW, 5)).toBe(false);
  });

  it('prunes expired challenges, spent recovery codes and expired devices, never live ones, at most limit', async () => {
    const userId = newUser();
    await enabled(userId);
    expect(await store.useRecoveryCode(userId, 'h1', NOW)).toBe(true);
    await store.createChallenge({ id: `${userId}-old`, userId, expiresAt: NOW - 1 });
    await store.createChallenge({ id: `${userId}-live`, userId, expiresAt: NOW + 300_000 });
    const device = (name: string, expiresAt: number) => ({
      id: `${userId}-${name}`,
      userId,
      tokenHash: `${userId}-${name}`,
      createdAt: NOW - 2000,
      expiresAt,
    });
    await store.rememberDevice(device('old', NOW - 1));
    await store.rememberDevice(device('live', NOW + 1000));

    expect(await store.pruneExpired(NOW, 1)).toBe(1);
    let pruned = 1;
    for (let run = 0; run < 100; run += 1) {
      const count = await store.pruneExpired(NOW, 1000);
      pruned += count;
      if (count < 1000) break;
    }

    expect(pruned).toBeGreaterThanOrEqual(3);
    expect(await store.pruneExpired(NOW, 1000)).toBe(0);
    expect(await store.findChallenge(`${userId}-old`)).toBeNull();
    expect(await store.findChallenge(`${userId}-live`)).not.toBeNull();
    expect(await store.findDevice(`${userId}-old`, NOW - 1000)).toBeNull();
    expect(await store.findDevice(`${userId}-live`, NOW)).toMatchObject({ userId });
    expect(await store.useRecoveryCode(userId, 'h1', NOW)).toBe(false);
    expect(await store.useRecoveryCode(userId, 'h2', NOW)).toBe(true);
  });

  it('drops a pending setup at the end of its credential, never an enabled factor', async () => {
    const pending = newUser();
    await store.savePendingTotp(pending, 'v1.sealed', NOW);
    await store.dropPendingTotp(pending);
    expect(await store.findTotp(pending)).toBeNull();

    const factor = newUser();
    await enabled(factor);
    await store.dropPendingTotp(factor);
    expect((await store.findTotp(factor))?.enabledAt).toBe(NOW);
  });

  it('forgets devices and everything of a deleted user', async () => {
    const userId = newUser();
    await enabled(userId);
    const device = {
      id: `${userId}-d`,
      userId,
      tokenHash: `${userId}-hash`,
      createdAt: NOW,
      expiresAt: NOW + 1000,
    };
    await store.rememberDevice(device);
    expect(await store.findDevice(device.tokenHash, NOW)).toMatchObject({ userId });
    expect(await store.findDevice(device.tokenHash, NOW + 1000)).toBeNull();

    await store.forgetUser(userId);

    expect(await store.findDevice(device.tokenHash, NOW)).toBeNull();
    expect(await store.findTotp(userId)).toBeNull();
    expect(await store.countRecoveryCodes(userId)).toBe(0);
  });
});
