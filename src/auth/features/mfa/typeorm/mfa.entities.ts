import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../../../adapters/typeorm/epoch-millis.transformer';

/** A user's TOTP factor (`auth_mfa_totp`), one per user; the secret sealed. */
@Entity('auth_mfa_totp')
export class MfaTotpEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Column({ name: 'sealed_secret', type: 'varchar', length: 255 })
  sealedSecret!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'enabled_at', type: 'bigint', nullable: true, transformer: epochMillis })
  enabledAt!: number | null;

  /** The TOTP step of the last accepted code: what refuses a replay, on every instance (a bigint, read as a number). */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true, transformer: epochMillis })
  lastUsedStep!: number | null;
}

/** A recovery code (`auth_mfa_recovery_codes`): its keyed hash, single use. */
@Entity('auth_mfa_recovery_codes')
export class MfaRecoveryCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_auth_mfa_recovery_codes_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  usedAt!: number | null;
}

/** A login's second-factor challenge (`auth_mfa_challenges`), by its token's `jti`. */
@Entity('auth_mfa_challenges')
export class MfaChallengeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Index('idx_auth_mfa_challenges_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;

  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ name: 'spent_at', type: 'bigint', nullable: true, transformer: epochMillis })
  spentAt!: number | null;
}

/** A remembered device (`auth_mfa_devices`): its token's keyed hash. */
@Entity('auth_mfa_devices')
export class MfaDeviceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_auth_mfa_devices_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Index('uq_auth_mfa_devices_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;
}

export const MFA_ENTITIES = [
  MfaTotpEntity,
  MfaRecoveryCodeEntity,
  MfaChallengeEntity,
  MfaDeviceEntity,
];
