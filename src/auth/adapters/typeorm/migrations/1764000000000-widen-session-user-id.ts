import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Widens `auth_sessions.user_id` from 36 (a UUID) to 255 characters, so that a host's user store may use longer
 * ids. The only column holding a user id outside `auth_users`, whose ids the built-in store makes (UUIDs).
 */
export class WidenSessionUserId1764000000000 implements MigrationInterface {
  name = 'WidenSessionUserId1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await resizeUserId(queryRunner, 255);
  }

  /** Fails on PostgreSQL while a session holds an id longer than 36 characters: nothing is cut. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await resizeUserId(queryRunner, 36);
  }
}

async function resizeUserId(queryRunner: QueryRunner, length: number): Promise<void> {
  if (queryRunner.connection.driver.options.type === 'postgres') {
    // Not changeColumn: on PostgreSQL it drops and re-adds a column whose length changes, and the data with it.
    await queryRunner.query(
      `ALTER TABLE "auth_sessions" ALTER COLUMN "user_id" TYPE varchar(${length})`,
    );
    return;
  }
  // SQLite rebuilds the table (copying the rows and indexes); TypeORM turns foreign keys off while migrating, so
  // the rebuild does not cascade to auth_refresh_tokens.
  const table = await queryRunner.getTable('auth_sessions');
  const column = table?.findColumnByName('user_id');
  if (!table || !column)
    throw new Error('auth_sessions.user_id is missing: run the earlier migrations');
  const resized = column.clone();
  resized.length = String(length);
  await queryRunner.changeColumn(table, column, resized);
}
