import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../../../adapters/typeorm/epoch-millis.transformer';

/** `auth_mail_tokens`: the tokens of mail links, by their SHA-256 only. */
@Entity('auth_mail_tokens')
@Index('idx_auth_mail_tokens_user_purpose', ['userId', 'purpose'])
/** At most one live (unspent) token per user and purpose (migration 1765300000001). */
@Index('uq_auth_mail_tokens_live', ['userId', 'purpose'], {
  unique: true,
  where: 'used_at IS NULL',
})
export class MailTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_auth_mail_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Column({ type: 'varchar', length: 32 })
  purpose!: string;

  @Column({ name: 'new_email', type: 'varchar', length: 254, nullable: true })
  newEmail!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;

  /** When it was spent, or voided by a newer request (`voided` says which). */
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  usedAt!: number | null;

  @Column({ type: 'boolean', default: false })
  voided!: boolean;

  /** See `NewMailToken.accountEmail`; null on rows from before migration 1765200000001 (refused at use). */
  @Column({ name: 'account_email', type: 'varchar', length: 254, nullable: true })
  accountEmail!: string | null;

  @Column({ name: 'credential_epoch', type: 'integer', default: 0 })
  credentialEpoch!: number;
}
