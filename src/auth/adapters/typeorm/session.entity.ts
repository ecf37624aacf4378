import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from './epoch-millis.transformer';

/** No foreign key to a users table: a host app may keep its users elsewhere (its own user store). */
@Entity('auth_sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** A host's user store may use ids other than UUIDs: up to 255 characters (migration 1764000000000). */
  @Index('idx_auth_sessions_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'last_used_at', type: 'bigint', transformer: epochMillis })
  lastUsedAt!: number;

  @Column({ name: 'idle_expires_at', type: 'bigint', transformer: epochMillis })
  idleExpiresAt!: number;

  @Index('idx_auth_sessions_absolute_expires_at')
  @Column({ name: 'absolute_expires_at', type: 'bigint', transformer: epochMillis })
  absoluteExpiresAt!: number;

  @Index('idx_auth_sessions_revoked_at')
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt!: number | null;

  /**
   * When the access tokens issued so far were voided, the session living on (the user's roles changed): read back
   * with the revocations to rebuild the revocation list (migration 1764750000000).
   */
  @Index('idx_auth_sessions_access_cut_at')
  @Column({ name: 'access_cut_at', type: 'bigint', nullable: true, transformer: epochMillis })
  accessCutAt!: number | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'last_user_agent', type: 'varchar', length: 512, nullable: true })
  lastUserAgent!: string | null;

  @Column({ name: 'last_ip', type: 'varchar', length: 64, nullable: true })
  lastIp!: string | null;

  /**
   * How the session last authenticated (migration 1765400000000): when, `amr` joined by spaces, `acr`. Null on rows
   * from before: read as the login by password.
   */
  @Column({ name: 'auth_time', type: 'bigint', nullable: true, transformer: epochMillis })
  authTime!: number | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  amr!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  acr!: string | null;
}
