import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "A new request of the same purpose voids older ones" becomes a constraint: at most one unspent token per user and
 * purpose (`uq_auth_mail_tokens_live`, a partial unique index, on PostgreSQL and SQLite alike). Before it, parallel
 * requests could each void what they saw and leave several links live. Duplicates already stored are voided first,
 * keeping the newest of each user and purpose.
 */
export class OneLiveMailToken1765300000001 implements MigrationInterface {
  name = 'OneLiveMailToken1765300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE auth_mail_tokens SET used_at = created_at, voided = true
       WHERE used_at IS NULL AND EXISTS (
         SELECT 1 FROM auth_mail_tokens newer
         WHERE newer.user_id = auth_mail_tokens.user_id AND newer.purpose = auth_mail_tokens.purpose
           AND newer.used_at IS NULL
           AND (newer.created_at > auth_mail_tokens.created_at
             OR (newer.created_at = auth_mail_tokens.created_at AND newer.id > auth_mail_tokens.id)))`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX uq_auth_mail_tokens_live ON auth_mail_tokens (user_id, purpose) WHERE used_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX uq_auth_mail_tokens_live');
  }
}
