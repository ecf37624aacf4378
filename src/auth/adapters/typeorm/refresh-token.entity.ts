import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { epochMillis } from './epoch-millis.transformer';
import { SessionEntity } from './session.entity';

/** One refresh token of a session's chain. The token itself is never stored: only its `jti` and times. */
@Entity('auth_refresh_tokens')
export class RefreshTokenEntity {
  /** The token's `jti`. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_auth_refresh_tokens_session_id')
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @ManyToOne(() => SessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: SessionEntity;

  @Column({ name: 'issued_at', type: 'bigint', transformer: epochMillis })
  issuedAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;

  @Column({ name: 'spent_at', type: 'bigint', nullable: true, transformer: epochMillis })
  spentAt!: number | null;

  @Column({ name: 'successor_id', type: 'varchar', length: 36, nullable: true })
  successorId!: string | null;

  /** SHA-256 (hex) of the spending client's network and user agent: see `clientFingerprint`. */
  @Column({ name: 'spent_by', type: 'varchar', length: 64, nullable: true })
  spentBy!: string | null;

  /** Its place in the session's chain (migration 1765100000000): see `RefreshTokenRecord.generation`. */
  @Column({ type: 'integer', default: 0 })
  generation!: number;
}
