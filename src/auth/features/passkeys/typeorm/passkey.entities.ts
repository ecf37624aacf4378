import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../../../adapters/typeorm/epoch-millis.transformer';

/** A registered passkey (`auth_passkeys`): its public key, never a secret. */
@Entity('auth_passkeys')
export class PasskeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_auth_passkeys_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  /** Base64url; WebAuthn allows up to 1023 bytes (1364 characters). */
  @Index('idx_auth_passkeys_credential_id', { unique: true })
  @Column({ name: 'credential_id', type: 'varchar', length: 1400 })
  credentialId!: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** The signature counter, up to 2^32 - 1: a bigint, read as a number. */
  @Column({ type: 'bigint', transformer: epochMillis })
  counter!: number;

  @Column({ type: 'simple-json' })
  transports!: string[];

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'backed_up', type: 'boolean', default: false })
  backedUp!: boolean;

  @Column({ name: 'device_type', type: 'varchar', length: 16 })
  deviceType!: 'singleDevice' | 'multiDevice';

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  lastUsedAt!: number | null;
}

/** A ceremony's challenge (`auth_passkey_challenges`), until it is answered (deleted) or expires (pruned). */
@Entity('auth_passkey_challenges')
export class PasskeyChallengeEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  challenge!: string;

  @Column({ type: 'varchar', length: 16 })
  ceremony!: 'registration' | 'authentication';

  @Column({ name: 'user_id', type: 'varchar', length: 255, nullable: true })
  userId!: string | null;

  @Index('idx_auth_passkey_challenges_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;
}

export const PASSKEY_ENTITIES = [PasskeyEntity, PasskeyChallengeEntity];
