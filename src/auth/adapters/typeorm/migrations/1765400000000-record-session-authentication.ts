import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * How each session last authenticated (`auth_time`, `amr`, `acr` of its access tokens, RFC 9470 step-up), kept
 * across refreshes. Rows from before stay null and read as their login by password (`created_at`, `pwd`, `aal1`),
 * which is what they were.
 */
export class RecordSessionAuthentication1765400000000 implements MigrationInterface {
  name = 'RecordSessionAuthentication1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('auth_sessions', [
      new TableColumn({ name: 'auth_time', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'amr', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'acr', type: 'varchar', length: '16', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_sessions', 'acr');
    await queryRunner.dropColumn('auth_sessions', 'amr');
    await queryRunner.dropColumn('auth_sessions', 'auth_time');
  }
}
