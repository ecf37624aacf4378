import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull, LessThan, MoreThan } from 'typeorm';
import { transaction } from '../../../adapters/typeorm/transaction';
import { type DeadRows, deleteDeadRows } from '../../../adapters/typeorm/delete-dead-rows';
import type {
  ChallengeRecord,
  MfaStore,
  RememberedDeviceRecord,
  TotpFactorRecord,
} from '../mfa-store.port';
import {
  MfaChallengeEntity,
  MfaDeviceEntity,
  MfaRecoveryCodeEntity,
  MfaTotpEntity,
} from './mfa.entities';

/** Expired login challenges, spent recovery codes, expired remembered devices. */
const DEAD_MFA_ROWS: readonly DeadRows[] = [
  {
    entity: MfaChallengeEntity,
    table: 'auth_mfa_challenges',
    key: 'id',
    dead: 'expires_at <= :now',
  },
  {
    entity: MfaRecoveryCodeEntity,
    table: 'auth_mfa_recovery_codes',
    key: 'id',
    dead: 'used_at IS NOT NULL',
  },
  { entity: MfaDeviceEntity, table: 'auth_mfa_devices', key: 'id', dead: 'expires_at <= :now' },
];

/** The default {@link MfaStore}: tables `auth_mfa_*` on the host's TypeORM data source (SQLite or PostgreSQL). */
@Injectable()
export class TypeOrmMfaStore implements MfaStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get manager() {
    return this.dataSource.manager;
  }

  async findTotp(userId: string): Promise<TotpFactorRecord | null> {
    const factor = await this.manager.findOneBy(MfaTotpEntity, { userId });
    return factor && { ...factor };
  }

  savePendingTotp(userId: string, sealedSecret: string, now: number): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const existing = await manager.findOneBy(MfaTotpEntity, { userId });
      if (existing?.enabledAt != null) return false;
      if (existing) await manager.delete(MfaTotpEntity, { userId, enabledAt: IsNull() });
      await manager.insert(MfaTotpEntity, {
        userId,
        sealedSecret,
        createdAt: now,
        enabledAt: null,
        lastUsedStep: null,
      });
      return true;
    });
  }

  enableTotp(userId: string, step: number, hashes: string[], now: number): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const result = await manager.update(
        MfaTotpEntity,
        { userId, enabledAt: IsNull() },
        { enabledAt: now, lastUsedStep: step },
      );
      if (result.affected !== 1) return false;
      await this.writeCodes(manager, userId, hashes);
      return true;
    });
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    // The one conditional write that makes a code single-use across instances.
    const result = await this.manager
      .createQueryBuilder()
      .update(MfaTotpEntity)
      .set({ lastUsedStep: step })
      .where('user_id = :userId AND enabled_at IS NOT NULL', { userId })
      .andWhere('(last_used_step IS NULL OR last_used_step < :step)', { step })
      .execute();
    return result.affected === 1;
  }

  removeTotp(userId: string): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const existing = await manager.findOneBy(MfaTotpEntity, { userId });
      await manager.delete(MfaTotpEntity, { userId });
      await manager.delete(MfaRecoveryCodeEntity, { userId });
      return existing?.enabledAt != null;
    });
  }

  replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void> {
    return transaction(this.dataSource, (manager) => this.writeCodes(manager, userId, hashes));
  }

  async useRecoveryCode(userId: string, hash: string, now: number): Promise<boolean> {
    const result = await this.manager.update(
      MfaRecoveryCodeEntity,
      { userId, codeHash: hash, usedAt: IsNull() },
      { usedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  countRecoveryCodes(userId: string): Promise<number> {
    return this.manager.countBy(MfaRecoveryCodeEntity, { userId, usedAt: IsNull() });
  }

  async createChallenge(challenge: Omit<ChallengeRecord, 'failures' | 'spentAt'>): Promise<void> {
    // Expired challenges are dead whatever they hold: each login sweeps some.
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(MfaChallengeEntity)
      .where({ expiresAt: LessThan(challenge.expiresAt - 3_600_000) })
      .execute();
    await this.manager.insert(MfaChallengeEntity, { ...challenge, failures: 0, spentAt: null });
  }

  async findChallenge(id: string): Promise<ChallengeRecord | null> {
    const challenge = await this.manager.findOneBy(MfaChallengeEntity, { id });
    return challenge && { ...challenge };
  }

  async failChallenge(id: string): Promise<number> {
    await this.manager.increment(MfaChallengeEntity, { id }, 'failures', 1);
    return (await this.findChallenge(id))?.failures ?? 0;
  }

  async spendChallenge(id: string, now: number, maxFailures: number): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(MfaChallengeEntity)
      .set({ spentAt: now })
      .where({ id, spentAt: IsNull(), expiresAt: MoreThan(now) })
      .andWhere('failures < :maxFailures', { maxFailures })
      .execute();
    return result.affected === 1;
  }

  async rememberDevice(device: RememberedDeviceRecord): Promise<void> {
    await this.manager.insert(MfaDeviceEntity, device);
  }

  findDevice(tokenHash: string, now: number): Promise<RememberedDeviceRecord | null> {
    return this.manager.findOneBy(MfaDeviceEntity, { tokenHash, expiresAt: MoreThan(now) });
  }

  async dropPendingTotp(userId: string): Promise<void> {
    await this.manager.delete(MfaTotpEntity, { userId, enabledAt: IsNull() });
  }

  /** Each kind in turn, within what is left of `limit`. */
  async pruneExpired(now: number, limit: number): Promise<number> {
    let pruned = 0;
    for (const rows of DEAD_MFA_ROWS) {
      if (pruned >= limit) break;
      pruned += await deleteDeadRows(this.dataSource, rows, now, limit - pruned);
    }
    return pruned;
  }

  async forgetDevices(userId: string): Promise<void> {
    await this.manager.delete(MfaDeviceEntity, { userId });
  }

  async forgetUser(userId: string): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      for (const entity of [
        MfaTotpEntity,
        MfaRecoveryCodeEntity,
        MfaChallengeEntity,
        MfaDeviceEntity,
      ]) {
        await manager.delete(entity, { userId });
      }
    });
  }

  private async writeCodes(
    manager: DataSource['manager'],
    userId: string,
    hashes: string[],
  ): Promise<void> {
    await manager.delete(MfaRecoveryCodeEntity, { userId });
    if (hashes.length === 0) return;
    await manager.insert(
      MfaRecoveryCodeEntity,
      hashes.map((codeHash) => ({ id: randomUUID(), userId, codeHash, usedAt: null })),
    );
  }
}
