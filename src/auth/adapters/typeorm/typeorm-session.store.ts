import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, MoreThan, MoreThanOrEqual, Not } from 'typeorm';
import { transaction } from './transaction';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { findRefreshContext, rotate } from './typeorm-refresh.queries';
import { authenticationColumns, authenticationOf } from './session-authentication.columns';
import type {
  NewRefreshToken,
  RefreshContext,
  RefreshTokenRecord,
  RevocationReason,
  RevokedSessionRow,
  RotationResult,
  SessionRecord,
  SessionStore,
  Spender,
} from '../../core/model/session-store.port';
import { cutRow } from '../../core/model/session-store.port';

/** The default {@link SessionStore}, on the host's TypeORM data source (SQLite or PostgreSQL). */
@Injectable()
export class TypeOrmSessionStore implements SessionStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createSession(
    session: Omit<SessionRecord, 'revokedAt' | 'lastIp' | 'lastUserAgent'>,
    firstToken: NewRefreshToken,
  ): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      await manager.insert(SessionEntity, {
        ...session,
        ...authenticationColumns(session),
        lastIp: session.ip,
        lastUserAgent: session.userAgent,
        revokedAt: null,
        revokedReason: null,
      });
      await manager.insert(RefreshTokenEntity, newToken(session.id, firstToken));
    });
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    const session = await this.dataSource.manager.findOneBy(SessionEntity, { id });
    return session && toSessionRecord(session);
  }

  async findRefreshToken(id: string): Promise<RefreshTokenRecord | null> {
    const token = await this.dataSource.manager.findOneBy(RefreshTokenEntity, { id });
    return token && toTokenRecord(token);
  }

  findRefreshContext(sessionId: string, tokenId: string): Promise<RefreshContext | null> {
    return findRefreshContext(this.dataSource, sessionId, tokenId);
  }

  rotate(
    sessionId: string,
    spentId: string,
    successor: NewRefreshToken,
    now: number,
    spender: Spender,
  ): Promise<RotationResult> {
    return rotate(this.dataSource, sessionId, spentId, successor, now, spender);
  }

  reauthenticate(
    sessionId: string,
    authentication: Pick<SessionRecord, 'authTime' | 'amr' | 'acr'>,
    now: number,
  ): Promise<RefreshTokenRecord | null> {
    return transaction(this.dataSource, async (manager) => {
      const result = await manager.update(
        SessionEntity,
        { id: sessionId, ...liveSessionWhere(now) },
        authenticationColumns(authentication),
      );
      if (result.affected !== 1) return null;
      const current = await manager.findOneBy(RefreshTokenEntity, {
        sessionId,
        spentAt: IsNull(),
      });
      return current && toTokenRecord(current);
    });
  }

  async revokeSession(id: string, reason: RevocationReason, now: number): Promise<boolean> {
    const result = await transaction(this.dataSource, (manager) =>
      manager.update(
        SessionEntity,
        { id, revokedAt: IsNull() },
        { revokedAt: now, revokedReason: reason },
      ),
    );
    return result.affected === 1;
  }

  revokeUserSessions(
    userId: string,
    reason: RevocationReason,
    now: number,
    exceptSessionId?: string,
  ): Promise<string[]> {
    return transaction(this.dataSource, async (manager) => {
      const live = await manager.find(SessionEntity, {
        select: { id: true },
        where: {
          userId,
          revokedAt: IsNull(),
          absoluteExpiresAt: MoreThan(now),
          ...(exceptSessionId === undefined ? {} : { id: Not(exceptSessionId) }),
        },
      });
      const ids = live.map((session) => session.id);
      if (ids.length > 0) {
        await manager.update(
          SessionEntity,
          { id: In(ids), revokedAt: IsNull() },
          { revokedAt: now, revokedReason: reason },
        );
      }
      return ids;
    });
  }

  retireExcessSessions(userId: string, keep: number, now: number): Promise<string[]> {
    return transaction(this.dataSource, async (manager) => {
      const excess = await manager.find(SessionEntity, {
        select: { id: true },
        where: liveSessionsOf(userId, now),
        order: { lastUsedAt: 'DESC', createdAt: 'DESC' },
        skip: keep,
      });
      const ids = excess.map((session) => session.id);
      if (ids.length > 0) {
        await manager.update(
          SessionEntity,
          { id: In(ids), revokedAt: IsNull() },
          { revokedAt: now, revokedReason: 'session_limit' },
        );
      }
      return ids;
    });
  }

  async listLiveSessions(userId: string, now: number, limit: number): Promise<SessionRecord[]> {
    const sessions = await this.dataSource.manager.find(SessionEntity, {
      where: liveSessionsOf(userId, now),
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return sessions.map(toSessionRecord);
  }

  async listRevokedSince(since: number): Promise<RevokedSessionRow[]> {
    const sessions = await this.dataSource.manager.find(SessionEntity, {
      select: { id: true, revokedAt: true, accessCutAt: true },
      where: [{ revokedAt: MoreThanOrEqual(since) }, { accessCutAt: MoreThanOrEqual(since) }],
    });
    return sessions.flatMap(({ id, revokedAt, accessCutAt }) => [
      ...(revokedAt !== null && revokedAt >= since ? [{ id, revokedAt }] : []),
      ...(accessCutAt !== null && accessCutAt >= since ? [cutRow(id, accessCutAt)] : []),
    ]);
  }

  cutAccessTokens(userId: string, now: number): Promise<string[]> {
    return transaction(this.dataSource, async (manager) => {
      const live = await manager.find(SessionEntity, {
        select: { id: true },
        where: { userId, revokedAt: IsNull(), absoluteExpiresAt: MoreThan(now) },
      });
      const ids = live.map((session) => session.id);
      if (ids.length > 0)
        await manager.update(SessionEntity, { id: In(ids) }, { accessCutAt: now });
      return ids;
    });
  }

  /**
   * One bounded statement, `DELETE FROM auth_sessions WHERE id IN (SELECT id ... LIMIT n)` (SQLite and PostgreSQL
   * both take a LIMIT in that subquery); the refresh tokens go by the foreign key's `ON DELETE CASCADE` (TypeORM's
   * SQLite drivers turn `foreign_keys` on for every connection). On PostgreSQL the subquery locks the rows it picks
   * and skips those another instance has locked, so instances pruning at once take disjoint batches instead of
   * waiting on each other; anywhere, deleting a row that is gone already is no error.
   */
  pruneExpired(before: number, limit: number): Promise<number> {
    const lock = this.dataSource.options.type === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    return transaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(SessionEntity)
        .where(
          'id IN (SELECT id FROM auth_sessions WHERE revoked_at < :before ' +
            `OR idle_expires_at < :before OR absolute_expires_at < :before LIMIT :limit${lock})`,
          { before, limit },
        )
        .execute();
      return result.affected ?? 0;
    });
  }
}

/** Sessions of `userId` neither revoked nor past either deadline at `now`. */
function liveSessionsOf(userId: string, now: number) {
  return { userId, ...liveSessionWhere(now) };
}

/** Neither revoked nor past either deadline at `now`. */
function liveSessionWhere(now: number) {
  return { revokedAt: IsNull(), idleExpiresAt: MoreThan(now), absoluteExpiresAt: MoreThan(now) };
}

function newToken(sessionId: string, token: NewRefreshToken): RefreshTokenEntity {
  return { ...token, sessionId, spentAt: null, successorId: null, spentBy: null };
}

function toSessionRecord(entity: SessionEntity): SessionRecord {
  const { id, userId, createdAt, lastUsedAt, idleExpiresAt, absoluteExpiresAt, revokedAt } = entity;
  return {
    id,
    userId,
    createdAt,
    lastUsedAt,
    idleExpiresAt,
    absoluteExpiresAt,
    revokedAt,
    userAgent: entity.userAgent,
    ip: entity.ip,
    lastUserAgent: entity.lastUserAgent,
    lastIp: entity.lastIp,
    ...authenticationOf(createdAt, entity.authTime, entity.amr, entity.acr),
  };
}

function toTokenRecord(entity: RefreshTokenEntity): RefreshTokenRecord {
  const { id, sessionId, issuedAt, expiresAt, spentAt, successorId, spentBy, generation } = entity;
  return { id, sessionId, issuedAt, expiresAt, spentAt, successorId, spentBy, generation };
}
