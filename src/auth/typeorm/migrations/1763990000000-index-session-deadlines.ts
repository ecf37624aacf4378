import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes the session deadlines, so that pruning (`revoked_at < ? OR idle_expires_at < ? OR absolute_expires_at < ?`)
 * combines three index scans instead of reading the whole table on every batch.
 */
export class IndexSessionDeadlines1763990000000 implements MigrationInterface {
  name = 'IndexSessionDeadlines1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndices('auth_sessions', [
      new TableIndex({
        name: 'idx_auth_sessions_idle_expires_at',
        columnNames: ['idle_expires_at'],
      }),
      new TableIndex({
        name: 'idx_auth_sessions_absolute_expires_at',
        columnNames: ['absolute_expires_at'],
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('auth_sessions', 'idx_auth_sessions_absolute_expires_at');
    await queryRunner.dropIndex('auth_sessions', 'idx_auth_sessions_idle_expires_at');
  }
}
