import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { transaction } from '../../../adapters/typeorm/transaction';
import { deleteDeadRows } from '../../../adapters/typeorm/delete-dead-rows';
import type { PasskeyChallengeRecord, PasskeyRecord, PasskeyStore } from '../passkey-store.port';
import { PasskeyChallengeEntity, PasskeyEntity } from './passkey.entities';

/**
 * The default {@link PasskeyStore}: tables `auth_passkeys` and `auth_passkey_challenges` on the host's TypeORM data
 * source (SQLite or PostgreSQL), which every instance shares: a ceremony started on one finishes on another.
 */
@Injectable()
export class TypeOrmPasskeyStore implements PasskeyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get manager() {
    return this.dataSource.manager;
  }

  async saveChallenge(record: PasskeyChallengeRecord): Promise<void> {
    await this.manager.insert(PasskeyChallengeEntity, record);
  }

  async takeChallenge(challenge: string, now: number): Promise<PasskeyChallengeRecord | undefined> {
    const found = await this.manager.findOneBy(PasskeyChallengeEntity, { challenge });
    if (!found) return undefined;
    // Spent by the delete: of two instances answering at once, only the one whose delete took the row goes on.
    const deleted = await this.manager.delete(PasskeyChallengeEntity, { challenge });
    if ((deleted.affected ?? 0) !== 1 || found.expiresAt <= now) return undefined;
    return { ...found };
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.manager.find(PasskeyEntity, {
      where: { userId },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => ({ ...row }));
  }

  countPasskeys(userId: string): Promise<number> {
    return this.manager.countBy(PasskeyEntity, { userId });
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined> {
    const row = await this.manager.findOneBy(PasskeyEntity, { credentialId });
    return row ? { ...row } : undefined;
  }

  addPasskey(record: PasskeyRecord): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      if (await manager.existsBy(PasskeyEntity, { credentialId: record.credentialId }))
        return false;
      await manager.insert(PasskeyEntity, record);
      return true;
    });
  }

  async renamePasskey(userId: string, id: string, name: string): Promise<boolean> {
    const result = await this.manager.update(PasskeyEntity, { id, userId }, { name });
    return (result.affected ?? 0) === 1;
  }

  async removePasskey(userId: string, id: string): Promise<boolean> {
    const result = await this.manager.delete(PasskeyEntity, { id, userId });
    return (result.affected ?? 0) === 1;
  }

  async recordUse(
    id: string,
    previousCounter: number,
    use: { counter: number; backedUp: boolean; usedAt: number },
  ): Promise<boolean> {
    const result = await this.manager.update(
      PasskeyEntity,
      { id, counter: previousCounter },
      { counter: use.counter, backedUp: use.backedUp, lastUsedAt: use.usedAt },
    );
    return (result.affected ?? 0) === 1;
  }

  async removeUser(userId: string): Promise<number> {
    const result = await this.manager.delete(PasskeyEntity, { userId });
    return result.affected ?? 0;
  }

  pruneExpired(now: number, limit: number): Promise<number> {
    return deleteDeadRows(
      this.dataSource,
      {
        entity: PasskeyChallengeEntity,
        table: 'auth_passkey_challenges',
        key: 'challenge',
        dead: 'expires_at <= :now',
      },
      now,
      limit,
    );
  }
}
