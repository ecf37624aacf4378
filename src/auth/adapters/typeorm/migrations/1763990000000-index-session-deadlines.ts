import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes the absolute deadline, which pruning filters on and which never changes after login. Not the idle
 * deadline: every rotation updates it, and an index on it would cost every refresh an index write (and PostgreSQL
 * its HOT updates) to spare an hourly prune a scan.
 */
export class IndexSessionDeadlines1763990000000 implements MigrationInterface {
  name = 'IndexSessionDeadlines1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'auth_sessions',
      new TableIndex({
        name: 'idx_auth_sessions_absolute_expires_at',
        columnNames: ['absolute_expires_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('auth_sessions', 'idx_auth_sessions_absolute_expires_at');
  }
}
