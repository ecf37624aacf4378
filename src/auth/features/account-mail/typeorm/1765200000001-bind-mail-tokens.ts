import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Binds each mail token to the account's address and credential epoch when it was sent (docs/security.md: a
 * pending change dies with the credential that authorized it; a mailed token proves the mailbox it went to).
 * Tokens from before get no address and are refused at use: a link lives an hour or a day, and asking again is
 * all it costs.
 */
export class BindMailTokens1765200000001 implements MigrationInterface {
  name = 'BindMailTokens1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('auth_mail_tokens', [
      new TableColumn({ name: 'account_email', type: 'varchar', length: '254', isNullable: true }),
      new TableColumn({ name: 'credential_epoch', type: 'integer', default: 0, isNullable: false }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_mail_tokens', 'credential_epoch');
    await queryRunner.dropColumn('auth_mail_tokens', 'account_email');
  }
}
