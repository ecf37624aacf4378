import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../../../adapters/typeorm/epoch-millis.transformer';

/** `auth_mail_outbox`: mail waiting to be sent, sealed; a row is deleted once its mail is sent. */
@Entity('auth_mail_outbox')
export class MailOutboxEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The message, sealed with AES-256-GCM (`OutboxSeal`); empty once given up. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Index('idx_auth_mail_outbox_due')
  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMillis })
  nextAttemptAt!: number;

  /** A worker's claim: no other claims the row before this time. */
  @Column({ name: 'locked_until', type: 'bigint', nullable: true, transformer: epochMillis })
  lockedUntil!: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  /** When the mail was given up after its last attempt. */
  @Column({ name: 'failed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  failedAt!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}
