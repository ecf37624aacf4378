import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { isSqlite, transaction } from './transaction';
import {
  EmailTakenError,
  type KeepActiveHolder,
  LastActiveHolderError,
  type NewUser,
  type UserListQuery,
  type UserRecord,
  type UserStore,
} from '../../core/model/user-store.port';
import { UserEntity } from './user.entity';

/** The default user store, on the host's TypeORM data source. */
@Injectable()
export class TypeOrmUserStore implements UserStore {
  /** The plain reads' statements, written once: the placeholder depends on the database, not on the call. */
  private readonly byEmail: string;
  private readonly byId: string;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.byEmail = selectUserWhere(dataSource, 'email');
    this.byId = selectUserWhere(dataSource, 'id');
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return this.findOne(this.byEmail, email);
  }

  async findById(id: string): Promise<UserRecord | null> {
    return this.findOne(this.byId, id);
  }

  /**
   * One user by a unique column, in one plain statement: these reads are on every login and refresh, where TypeORM's
   * query builder (`findOneBy`) cost about 7% of a refresh's CPU (docs/performance.md: Refresh on SQLite).
   */
  private async findOne(sql: string, value: string): Promise<UserRecord | null> {
    const [row] = await this.dataSource.query<UserRow[]>(sql, [value]);
    return row === undefined ? null : rowToRecord(row);
  }

  async create(user: NewUser): Promise<UserRecord> {
    const entity: UserEntity = {
      ...user,
      id: randomUUID(),
      disabled: false,
      createdAt: user.createdAt.getTime(),
      emailVerified: user.emailVerified ?? false,
    };
    try {
      await transaction(this.dataSource, (manager) => manager.insert(UserEntity, entity));
    } catch (error) {
      // The unique index decides between two registrations racing for one email.
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
    return toRecord(entity);
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(UserEntity, { id }, { passwordHash }),
    );
  }

  async bumpCredentialEpoch(id: string): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.increment(UserEntity, { id }, 'credentialEpoch', 1),
    );
  }

  async setRoles(id: string, roles: string[], keep?: KeepActiveHolder): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      if (keep && !roles.includes(keep.role)) await this.assertAnotherHolder(manager, id, keep);
      await manager.update(UserEntity, { id }, { roles });
    });
  }

  async setDisabled(id: string, disabled: boolean, keep?: KeepActiveHolder): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      if (keep && disabled) await this.assertAnotherHolder(manager, id, keep);
      await manager.update(UserEntity, { id }, { disabled });
    });
  }

  async delete(id: string): Promise<boolean> {
    const result = await transaction(this.dataSource, (manager) =>
      manager.delete(UserEntity, { id }),
    );
    return (result.affected ?? 0) > 0;
  }

  /** Keyset pagination on (created_at, id), which an index serves: no OFFSET, so deep pages cost what the first does. */
  async list({ limit, after, emailPrefix }: UserListQuery): Promise<UserRecord[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(UserEntity, 'u')
      .orderBy('u.createdAt', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(limit);
    if (after) {
      query.andWhere(
        '(u.createdAt < :afterTime OR (u.createdAt = :afterTime AND u.id < :afterId))',
        { afterTime: BigInt(after.createdAt.getTime()), afterId: after.id },
      );
    }
    if (emailPrefix !== undefined) {
      // The prefix is matched literally: LIKE's wildcards in it are escaped.
      query.andWhere("u.email LIKE :prefix ESCAPE '\\'", {
        prefix: `${emailPrefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`,
      });
    }
    return (await query.getMany()).map(toRecord);
  }

  async markEmailVerified(id: string): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(UserEntity, { id }, { emailVerified: true }),
    );
  }

  async updateEmail(id: string, email: string): Promise<void> {
    try {
      await transaction(this.dataSource, (manager) =>
        manager.update(UserEntity, { id }, { email, emailVerified: true }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  /**
   * Throws {@link LastActiveHolderError} when `id` is the only active holder of the role. On PostgreSQL the holders'
   * rows are locked (`FOR UPDATE`, in id order so that two such writes never deadlock) until the write commits: a
   * racing write waits, then re-reads the rows it locked and no longer counts one its rival demoted. On SQLite the
   * module's write transactions already run one after the other (see `transaction`).
   */
  private async assertAnotherHolder(
    manager: EntityManager,
    id: string,
    { role }: KeepActiveHolder,
  ): Promise<void> {
    // Roles are JSON text: a LIKE on the quoted name finds the candidates, the parsed list decides.
    const query = manager
      .createQueryBuilder(UserEntity, 'u')
      .where("u.roles LIKE :role ESCAPE '\\'", {
        role: `%${JSON.stringify(role).replace(/[\\%_]/g, (character) => `\\${character}`)}%`,
      })
      .orderBy('u.id', 'ASC');
    if (!isSqlite(this.dataSource)) query.setLock('pessimistic_write');
    const holders = (await query.getMany())
      .map(toRecord)
      .filter((user) => !user.disabled && user.roles.includes(role));
    if (holders.some((user) => user.id === id) && holders.length < 2) {
      throw new LastActiveHolderError(role);
    }
  }
}

/** The columns of {@link UserEntity}, as the plain reads select them. */
const USER_COLUMNS =
  'id, email, password_hash, roles, disabled, email_verified, created_at, credential_epoch';

/** `SELECT` of one user by `column`, with the database's placeholder (`?` on SQLite, `$1` on PostgreSQL). */
function selectUserWhere(dataSource: DataSource, column: 'id' | 'email'): string {
  const placeholder = isSqlite(dataSource) ? '?' : '$1';
  return `SELECT ${USER_COLUMNS} FROM "auth_users" WHERE ${column} = ${placeholder} LIMIT 1`;
}

/** A row of those columns as either driver returns it: PostgreSQL's `bigint` as a string, SQLite's booleans as 0/1. */
interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  roles: string;
  disabled: boolean | number;
  email_verified: boolean | number;
  created_at: string | number;
  credential_epoch: number | null;
}

/** As TypeORM would map the row to a {@link UserEntity}: `simple-json` roles, `bigint` milliseconds. */
function rowToRecord(row: UserRow): UserRecord {
  return toRecord({
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    roles: JSON.parse(row.roles) as string[],
    disabled: Boolean(row.disabled),
    emailVerified: Boolean(row.email_verified),
    createdAt: Number(row.created_at),
    credentialEpoch: Number(row.credential_epoch ?? 0),
  });
}

function toRecord(entity: UserEntity): UserRecord {
  const { id, email, passwordHash, roles } = entity;
  return {
    id,
    email,
    passwordHash,
    roles,
    createdAt: new Date(entity.createdAt),
    // PostgreSQL gives a boolean; SQLite stores 0 or 1.
    emailVerified: Boolean(entity.emailVerified),
    disabled: Boolean(entity.disabled),
    credentialEpoch: Number(entity.credentialEpoch ?? 0),
  };
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown }).code;
  return code === '23505' /* PostgreSQL */ || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
