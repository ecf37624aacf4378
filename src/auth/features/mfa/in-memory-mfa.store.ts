import type {
  ChallengeRecord,
  MfaStore,
  RememberedDeviceRecord,
  TotpFactorRecord,
} from './mfa-store.port';

interface RecoveryCode {
  userId: string;
  hash: string;
  usedAt: number | null;
}

/**
 * The second factor's state in process: for tests and hosts without the TypeORM stores. Nothing survives a restart
 * and instances share nothing (a code accepted on one instance would be accepted once more on another). Each
 * conditional write checks and writes in one synchronous step.
 */
export class InMemoryMfaStore implements MfaStore {
  private readonly factors = new Map<string, TotpFactorRecord>();
  private codes: RecoveryCode[] = [];
  private readonly challenges = new Map<string, ChallengeRecord>();
  private readonly devices = new Map<string, RememberedDeviceRecord>();

  findTotp(userId: string): Promise<TotpFactorRecord | null> {
    const factor = this.factors.get(userId);
    return Promise.resolve(factor ? { ...factor } : null);
  }

  savePendingTotp(userId: string, sealedSecret: string, now: number): Promise<boolean> {
    if (this.factors.get(userId)?.enabledAt != null) return Promise.resolve(false);
    this.factors.set(userId, {
      userId,
      sealedSecret,
      createdAt: now,
      enabledAt: null,
      lastUsedStep: null,
    });
    return Promise.resolve(true);
  }

  enableTotp(userId: string, step: number, hashes: string[], now: number): Promise<boolean> {
    const factor = this.factors.get(userId);
    if (!factor || factor.enabledAt !== null) return Promise.resolve(false);
    factor.enabledAt = now;
    factor.lastUsedStep = step;
    this.setCodes(userId, hashes);
    return Promise.resolve(true);
  }

  useTotpStep(userId: string, step: number): Promise<boolean> {
    const factor = this.factors.get(userId);
    if (!factor || factor.enabledAt === null) return Promise.resolve(false);
    if (factor.lastUsedStep !== null && factor.lastUsedStep >= step) return Promise.resolve(false);
    factor.lastUsedStep = step;
    return Promise.resolve(true);
  }

  removeTotp(userId: string): Promise<boolean> {
    const enabled = this.factors.get(userId)?.enabledAt != null;
    this.factors.delete(userId);
    this.codes = this.codes.filter((code) => code.userId !== userId);
    return Promise.resolve(enabled);
  }

  replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void> {
    this.setCodes(userId, hashes);
    return Promise.resolve();
  }

  useRecoveryCode(userId: string, hash: string, now: number): Promise<boolean> {
    const code = this.codes.find(
      (candidate) =>
        candidate.userId === userId && candidate.hash === hash && candidate.usedAt === null,
    );
    if (code) code.usedAt = now;
    return Promise.resolve(code !== undefined);
  }

  countRecoveryCodes(userId: string): Promise<number> {
    return Promise.resolve(
      this.codes.filter((code) => code.userId === userId && code.usedAt === null).length,
    );
  }

  createChallenge(challenge: Omit<ChallengeRecord, 'failures' | 'spentAt'>): Promise<void> {
    this.challenges.set(challenge.id, { ...challenge, failures: 0, spentAt: null });
    return Promise.resolve();
  }

  findChallenge(id: string): Promise<ChallengeRecord | null> {
    const challenge = this.challenges.get(id);
    return Promise.resolve(challenge ? { ...challenge } : null);
  }

  failChallenge(id: string): Promise<number> {
    const challenge = this.challenges.get(id);
    if (!challenge) return Promise.resolve(0);
    challenge.failures += 1;
    return Promise.resolve(challenge.failures);
  }

  spendChallenge(id: string, now: number, maxFailures: number): Promise<boolean> {
    const challenge = this.challenges.get(id);
    const spendable =
      challenge !== undefined &&
      challenge.spentAt === null &&
      challenge.expiresAt > now &&
      challenge.failures < maxFailures;
    if (spendable) challenge.spentAt = now;
    return Promise.resolve(spendable);
  }

  rememberDevice(device: RememberedDeviceRecord): Promise<void> {
    this.devices.set(device.tokenHash, { ...device });
    return Promise.resolve();
  }

  findDevice(tokenHash: string, now: number): Promise<RememberedDeviceRecord | null> {
    const device = this.devices.get(tokenHash);
    return Promise.resolve(device && device.expiresAt > now ? { ...device } : null);
  }

  dropPendingTotp(userId: string): Promise<void> {
    if (this.factors.get(userId)?.enabledAt === null) this.factors.delete(userId);
    return Promise.resolve();
  }

  pruneExpired(now: number, limit: number): Promise<number> {
    let pruned = 0;
    for (const [id, challenge] of this.challenges) {
      if (pruned >= limit) break;
      if (challenge.expiresAt <= now) pruned += Number(this.challenges.delete(id));
    }
    const spent = this.codes.filter((code) => code.usedAt !== null).slice(0, limit - pruned);
    this.codes = this.codes.filter((code) => !spent.includes(code));
    pruned += spent.length;
    for (const [hash, device] of this.devices) {
      if (pruned >= limit) break;
      if (device.expiresAt <= now) pruned += Number(this.devices.delete(hash));
    }
    return Promise.resolve(pruned);
  }

  forgetDevices(userId: string): Promise<void> {
    for (const [hash, device] of this.devices) {
      if (device.userId === userId) this.devices.delete(hash);
    }
    return Promise.resolve();
  }

  async forgetUser(userId: string): Promise<void> {
    await this.removeTotp(userId);
    await this.forgetDevices(userId);
    for (const [id, challenge] of this.challenges) {
      if (challenge.userId === userId) this.challenges.delete(id);
    }
  }

  private setCodes(userId: string, hashes: string[]): void {
    this.codes = [
      ...this.codes.filter((code) => code.userId !== userId),
      ...hashes.map((hash) => ({ userId, hash, usedAt: null })),
    ];
  }
}
