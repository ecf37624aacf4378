import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Each refresh token's place in its session's chain, so that of two tokens of one session the newer is known
 * without comparing `iat`, which counts whole seconds (CONTRACT §4.9). Rows from before are all 0: their tokens
 * carry no `gen` claim and are told apart by `iat` as before, and every token issued from now on counts up from
 * its predecessor's stored generation.
 */
export class RefreshTokenGeneration1765100000000 implements MigrationInterface {
  name = 'RefreshTokenGeneration1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'auth_refresh_tokens',
      new TableColumn({ name: 'generation', type: 'integer', default: 0, isNullable: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_refresh_tokens', 'generation');
  }
}
