import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

const bigint = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const userId = { name: 'user_id', type: 'varchar', length: '255' };

/**
 * The second-factor feature's tables: TOTP factors (secrets sealed), recovery codes and remembered devices (keyed
 * hashes only), and login challenges (their `jti`, wrong codes counted, spent once). No foreign key to the users
 * table: a host may keep its users elsewhere; a deleted user's rows go through the `userDeleting` hook.
 */
export class CreateMfaTables1765400000001 implements MigrationInterface {
  name = 'CreateMfaTables1765400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_mfa_totp',
        columns: [
          { ...userId, isPrimary: true },
          { name: 'sealed_secret', type: 'varchar', length: '255' },
          bigint('created_at'),
          bigint('enabled_at', true),
          bigint('last_used_step', true),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_mfa_recovery_codes',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          userId,
          { name: 'code_hash', type: 'varchar', length: '64' },
          bigint('used_at', true),
        ],
        indices: [{ name: 'idx_auth_mfa_recovery_codes_user_id', columnNames: ['user_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_mfa_challenges',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          userId,
          bigint('expires_at'),
          { name: 'failures', type: 'integer', default: 0 },
          bigint('spent_at', true),
        ],
        indices: [{ name: 'idx_auth_mfa_challenges_expires_at', columnNames: ['expires_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_mfa_devices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          userId,
          { name: 'token_hash', type: 'varchar', length: '64' },
          bigint('created_at'),
          bigint('expires_at'),
        ],
        indices: [
          { name: 'idx_auth_mfa_devices_user_id', columnNames: ['user_id'] },
          { name: 'uq_auth_mfa_devices_token_hash', columnNames: ['token_hash'], isUnique: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'auth_mfa_devices',
      'auth_mfa_challenges',
      'auth_mfa_recovery_codes',
      'auth_mfa_totp',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
