import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

const bigint = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });

/**
 * The passkeys feature's tables: registered passkeys (public keys only) and ceremony challenges (spent by deletion,
 * pruned when expired). No foreign key to the users table: a host may keep its users elsewhere; a deleted user's
 * passkeys go through the `userDeleting` hook.
 */
export class CreatePasskeyTables1765500000000 implements MigrationInterface {
  name = 'CreatePasskeyTables1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_passkeys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'credential_id', type: 'varchar', length: '1400' },
          { name: 'public_key', type: 'text' },
          bigint('counter'),
          { name: 'transports', type: 'text' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'backed_up', type: 'boolean', default: false },
          { name: 'device_type', type: 'varchar', length: '16' },
          bigint('created_at'),
          bigint('last_used_at', true),
        ],
        indices: [
          { name: 'idx_auth_passkeys_user_id', columnNames: ['user_id'] },
          {
            name: 'idx_auth_passkeys_credential_id',
            columnNames: ['credential_id'],
            isUnique: true,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_passkey_challenges',
        columns: [
          { name: 'challenge', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ceremony', type: 'varchar', length: '16' },
          { name: 'user_id', type: 'varchar', length: '255', isNullable: true },
          bigint('expires_at'),
        ],
        indices: [{ name: 'idx_auth_passkey_challenges_expires_at', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_passkey_challenges');
    await queryRunner.dropTable('auth_passkeys');
  }
}
