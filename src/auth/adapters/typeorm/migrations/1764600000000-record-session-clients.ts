import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Where each session was last used (shown in the session list, so a user can see a session used from elsewhere),
 * and which client spent each refresh token (the reuse grace answers only that client). Rows from before stay
 * null: a session shows its login's address until its next refresh, and a token spent before this migration gets
 * no grace, which at worst asks one racing tab to sign in again.
 */
export class RecordSessionClients1764600000000 implements MigrationInterface {
  name = 'RecordSessionClients1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('auth_sessions', [
      new TableColumn({
        name: 'last_user_agent',
        type: 'varchar',
        length: '512',
        isNullable: true,
      }),
      new TableColumn({ name: 'last_ip', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.addColumn(
      'auth_refresh_tokens',
      new TableColumn({ name: 'spent_by', type: 'varchar', length: '64', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_refresh_tokens', 'spent_by');
    await queryRunner.dropColumn('auth_sessions', 'last_ip');
    await queryRunner.dropColumn('auth_sessions', 'last_user_agent');
  }
}
