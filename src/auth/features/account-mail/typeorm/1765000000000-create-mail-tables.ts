import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const millis = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });

/**
 * The account-mail feature's tables: the tokens of mailed links (their SHA-256 only) and the outbox their mails wait
 * in. A database migrated by 0.1 has them already (its `AccountLifecycleMail1764800000000` made them): they are kept.
 */
export class CreateMailTables1765000000000 implements MigrationInterface {
  name = 'CreateMailTables1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasTable('auth_mail_tokens')) return;
    await queryRunner.createTable(
      new Table({
        name: 'auth_mail_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'purpose', type: 'varchar', length: '32' },
          { name: 'new_email', type: 'varchar', length: '254', isNullable: true },
          millis('created_at'),
          millis('expires_at'),
          millis('used_at', true),
          { name: 'voided', type: 'boolean', default: false },
        ],
        indices: [
          { name: 'uq_auth_mail_tokens_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'idx_auth_mail_tokens_user_purpose', columnNames: ['user_id', 'purpose'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_mail_outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'payload', type: 'text' },
          { name: 'attempts', type: 'integer', default: 0 },
          millis('next_attempt_at'),
          millis('locked_until', true),
          millis('created_at'),
          millis('failed_at', true),
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'auth_mail_outbox',
      new TableIndex({ name: 'idx_auth_mail_outbox_due', columnNames: ['next_attempt_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_mail_outbox');
    await queryRunner.dropTable('auth_mail_tokens');
  }
}
