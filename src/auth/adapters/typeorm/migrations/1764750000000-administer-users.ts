import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * What administering users needs: a `disabled` flag on users, an index for the admin list's order (newest first,
 * by `created_at` then `id`), and on sessions the time their access tokens were cut off by a role change, read back
 * with the revocations when the revocation list is rebuilt (at boot, and while Redis is away).
 */
export class AdministerUsers1764750000000 implements MigrationInterface {
  name = 'AdministerUsers1764750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'auth_users',
      new TableColumn({ name: 'disabled', type: 'boolean', default: false }),
    );
    await queryRunner.createIndex(
      'auth_users',
      new TableIndex({ name: 'idx_auth_users_created_at_id', columnNames: ['created_at', 'id'] }),
    );
    await queryRunner.addColumn(
      'auth_sessions',
      new TableColumn({ name: 'access_cut_at', type: 'bigint', isNullable: true }),
    );
    await queryRunner.createIndex(
      'auth_sessions',
      new TableIndex({ name: 'idx_auth_sessions_access_cut_at', columnNames: ['access_cut_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('auth_sessions', 'idx_auth_sessions_access_cut_at');
    await queryRunner.dropColumn('auth_sessions', 'access_cut_at');
    await queryRunner.dropIndex('auth_users', 'idx_auth_users_created_at_id');
    await queryRunner.dropColumn('auth_users', 'disabled');
  }
}
