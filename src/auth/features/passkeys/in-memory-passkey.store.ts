import type { PasskeyChallengeRecord, PasskeyRecord, PasskeyStore } from './passkey-store.port';

/**
 * A {@link PasskeyStore} in process: for a host without the built-in TypeORM stores and for tests. One instance only:
 * a ceremony started on another instance is not seen here.
 */
export class InMemoryPasskeyStore implements PasskeyStore {
  private readonly passkeys = new Map<string, PasskeyRecord>();
  private readonly challenges = new Map<string, PasskeyChallengeRecord>();

  saveChallenge(record: PasskeyChallengeRecord): Promise<void> {
    this.challenges.set(record.challenge, { ...record });
    return Promise.resolve();
  }

  takeChallenge(challenge: string, now: number): Promise<PasskeyChallengeRecord | undefined> {
    const record = this.challenges.get(challenge);
    this.challenges.delete(challenge);
    return Promise.resolve(record && record.expiresAt > now ? { ...record } : undefined);
  }

  listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    return Promise.resolve(
      this.ofUser(userId)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((passkey) => ({ ...passkey, transports: [...passkey.transports] })),
    );
  }

  countPasskeys(userId: string): Promise<number> {
    return Promise.resolve(this.ofUser(userId).length);
  }

  findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined> {
    const found = [...this.passkeys.values()].find((p) => p.credentialId === credentialId);
    return Promise.resolve(found && { ...found });
  }

  addPasskey(record: PasskeyRecord): Promise<boolean> {
    const taken = [...this.passkeys.values()].some((p) => p.credentialId === record.credentialId);
    if (!taken) this.passkeys.set(record.id, { ...record });
    return Promise.resolve(!taken);
  }

  renamePasskey(userId: string, id: string, name: string): Promise<boolean> {
    const passkey = this.passkeys.get(id);
    if (passkey?.userId !== userId) return Promise.resolve(false);
    passkey.name = name;
    return Promise.resolve(true);
  }

  removePasskey(userId: string, id: string): Promise<boolean> {
    if (this.passkeys.get(id)?.userId !== userId) return Promise.resolve(false);
    return Promise.resolve(this.passkeys.delete(id));
  }

  recordUse(
    id: string,
    previousCounter: number,
    use: { counter: number; backedUp: boolean; usedAt: number },
  ): Promise<boolean> {
    const passkey = this.passkeys.get(id);
    if (passkey?.counter !== previousCounter) return Promise.resolve(false);
    Object.assign(passkey, {
      counter: use.counter,
      backedUp: use.backedUp,
      lastUsedAt: use.usedAt,
    });
    return Promise.resolve(true);
  }

  removeUser(userId: string): Promise<number> {
    const mine = this.ofUser(userId);
    for (const passkey of mine) this.passkeys.delete(passkey.id);
    return Promise.resolve(mine.length);
  }

  pruneExpired(now: number, limit: number): Promise<number> {
    let pruned = 0;
    for (const [challenge, record] of this.challenges) {
      if (pruned >= limit) break;
      if (record.expiresAt <= now) {
        this.challenges.delete(challenge);
        pruned += 1;
      }
    }
    return Promise.resolve(pruned);
  }

  private ofUser(userId: string): PasskeyRecord[] {
    return [...this.passkeys.values()].filter((passkey) => passkey.userId === userId);
  }
}
