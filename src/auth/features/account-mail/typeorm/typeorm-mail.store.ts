import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, IsNull, QueryFailedError } from 'typeorm';
import type { MailTokenPurpose } from '../mail-token';
import { MailTokenEntity } from './mail-token.entity';
import { transaction } from '../../../adapters/typeorm/transaction';
import { type DeadRows, deleteDeadRows } from '../../../adapters/typeorm/delete-dead-rows';
import { MailOutboxEntity } from './mail-outbox.entity';
import type { ClaimedMail, MailStore, NewMailToken, SpentMailToken } from '../mail-store.port';

/**
 * How often {@link TypeOrmMailStore.issue} runs again after a concurrent request of the same user and purpose won the
 * race for the one live token: each retry voids the winner's, so a few suffice unless requests keep arriving.
 */
const ISSUE_ATTEMPTS = 5;

/** Longest error text kept on an outbox row (the column's width). */
const MAX_ERROR_LENGTH = 500;

/** The default mail store: tables `auth_mail_tokens` and `auth_mail_outbox` on the host's TypeORM data source. */
/** Spent, voided or expired mail tokens: never usable again (a deleted token answers as a spent one). */
const SPENT_OR_EXPIRED_TOKENS: DeadRows = {
  entity: MailTokenEntity,
  table: 'auth_mail_tokens',
  key: 'id',
  dead: 'used_at IS NOT NULL OR expires_at <= :now',
};

@Injectable()
export class TypeOrmMailStore implements MailStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * "Only the latest link is live" is a constraint, not a read-then-write: `uq_auth_mail_tokens_live` allows one
   * unspent token per user and purpose. On PostgreSQL, requests of one user and purpose also take turns on a
   * transaction-scoped advisory lock, so each voids the one before it (SQLite's writes take turns already). Should
   * two still meet at the index (a database without that lock), the loser's insert fails once the other commits,
   * and its transaction runs again, voiding the other's token as it now sees it.
   */
  async issue(token: NewMailToken, payloads: string[], queuedAt: number): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.issueOnce(token, payloads, queuedAt);
        return;
      } catch (error) {
        if (attempt >= ISSUE_ATTEMPTS || !isUniqueViolation(error)) throw error;
      }
    }
  }

  private async issueOnce(
    token: NewMailToken,
    payloads: string[],
    queuedAt: number,
  ): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      if (this.dataSource.options.type === 'postgres') {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `auth_mail_tokens:${token.purpose}:${token.userId}`,
        ]);
      }
      await manager
        .createQueryBuilder()
        .update(MailTokenEntity)
        .set({ usedAt: token.createdAt, voided: true })
        .where({ userId: token.userId, purpose: token.purpose, usedAt: IsNull() })
        .execute();
      await manager.insert(MailTokenEntity, {
        id: randomUUID(),
        tokenHash: token.hash,
        userId: token.userId,
        purpose: token.purpose,
        newEmail: token.newEmail ?? null,
        accountEmail: token.accountEmail,
        credentialEpoch: token.credentialEpoch,
        createdAt: token.createdAt,
        expiresAt: token.expiresAt,
        usedAt: null,
        voided: false,
      });
      await queue(manager, payloads, queuedAt);
    });
  }

  async enqueue(payloads: string[], queuedAt: number): Promise<void> {
    await queue(this.dataSource.manager, payloads, queuedAt);
  }

  async find(hash: string, purpose: MailTokenPurpose, now: number): Promise<SpentMailToken | null> {
    const row = await this.dataSource.manager.findOneBy(MailTokenEntity, { tokenHash: hash });
    if (!row || row.purpose !== purpose || row.usedAt !== null || row.expiresAt <= now) return null;
    const { userId, newEmail, accountEmail } = row;
    return { userId, newEmail, accountEmail, credentialEpoch: Number(row.credentialEpoch) };
  }

  async consume(
    hash: string,
    purpose: MailTokenPurpose,
    now: number,
  ): Promise<SpentMailToken | null> {
    const row = await this.dataSource.manager.findOneBy(MailTokenEntity, { tokenHash: hash });
    if (!row || row.purpose !== purpose || row.usedAt !== null || row.expiresAt <= now) return null;
    // The condition is checked again by the write itself: of two racing requests, one changes the row.
    const result = await transaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(MailTokenEntity)
        .set({ usedAt: now })
        .where({ id: row.id, usedAt: IsNull() })
        .execute(),
    );
    if (result.affected !== 1) return null;
    const { userId, newEmail, accountEmail } = row;
    return { userId, newEmail, accountEmail, credentialEpoch: Number(row.credentialEpoch) };
  }

  async claim(now: number, limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const postgres = this.dataSource.options.type === 'postgres';
    return transaction(this.dataSource, async (manager) => {
      let query = manager
        .createQueryBuilder(MailOutboxEntity, 'mail')
        .where('mail.failed_at IS NULL')
        .andWhere('mail.next_attempt_at <= :now', { now })
        .andWhere('(mail.locked_until IS NULL OR mail.locked_until <= :now)', { now })
        .orderBy('mail.next_attempt_at', 'ASC')
        .limit(limit);
      // Rows another instance is claiming right now are skipped, not waited for; SQLite's writes are serialized by
      // `transaction` already, so the select and the update below are one step there too.
      if (postgres) query = query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (rows.length === 0) return [];
      await manager
        .createQueryBuilder()
        .update(MailOutboxEntity)
        .set({ lockedUntil: now + leaseMs, attempts: () => 'attempts + 1' })
        .whereInIds(rows.map((row) => row.id))
        .execute();
      return rows.map((row) => ({ id: row.id, payload: row.payload, attempts: row.attempts + 1 }));
    });
  }

  async markSent(id: string): Promise<void> {
    await transaction(this.dataSource, (manager) => manager.delete(MailOutboxEntity, { id }));
  }

  async retryLater(id: string, nextAttemptAt: number, error: string): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(
        MailOutboxEntity,
        { id },
        { nextAttemptAt, lockedUntil: null, lastError: error.slice(0, MAX_ERROR_LENGTH) },
      ),
    );
  }

  async voidUserTokens(userId: string, now: number): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(MailTokenEntity, { userId, usedAt: IsNull() }, { usedAt: now, voided: true }),
    );
  }

  async deleteUserTokens(userId: string): Promise<void> {
    await transaction(this.dataSource, (manager) => manager.delete(MailTokenEntity, { userId }));
  }

  pruneExpired(now: number, limit: number): Promise<number> {
    return deleteDeadRows(this.dataSource, SPENT_OR_EXPIRED_TOKENS, now, limit);
  }

  async giveUp(id: string, error: string): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(
        MailOutboxEntity,
        { id },
        {
          payload: '',
          failedAt: Date.now(),
          lockedUntil: null,
          lastError: error.slice(0, MAX_ERROR_LENGTH),
        },
      ),
    );
  }
}

async function queue(manager: EntityManager, payloads: string[], queuedAt: number): Promise<void> {
  for (const payload of payloads) {
    await manager.insert(MailOutboxEntity, {
      id: randomUUID(),
      payload,
      attempts: 0,
      nextAttemptAt: queuedAt,
      lockedUntil: null,
      createdAt: queuedAt,
      failedAt: null,
      lastError: null,
    });
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown }).code;
  return code === '23505' /* PostgreSQL */ || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
