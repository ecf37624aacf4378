import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from './epoch-millis.transformer';

/** The admin list pages by (created_at, id), newest first (migration 1764750000000). */
@Index('idx_auth_users_created_at_id', ['createdAt', 'id'])
@Entity('auth_users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Normalized (trimmed, lower-cased) before it gets here, so a plain unique index is case-insensitive. */
  @Index('uq_auth_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash!: string;

  @Column({ type: 'simple-json' })
  roles!: string[];

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;
  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified!: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  /** See `UserRecord.credentialEpoch` (migration 1765200000000). */
  @Column({ name: 'credential_epoch', type: 'integer', default: 0 })
  credentialEpoch?: number;
}
