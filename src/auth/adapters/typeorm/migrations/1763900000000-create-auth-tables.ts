import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

const millis = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const id = (name: string, primary = false) => ({
  name,
  type: 'varchar',
  length: '36',
  isPrimary: primary,
});

/** Users, sessions and refresh tokens. Written with TypeORM's Table API, so it runs on SQLite and PostgreSQL alike. */
export class CreateAuthTables1763900000000 implements MigrationInterface {
  name = 'CreateAuthTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_users',
        columns: [
          id('id', true),
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'password_hash', type: 'varchar', length: '100' },
          { name: 'roles', type: 'text' },
          millis('created_at'),
        ],
        indices: [{ name: 'uq_auth_users_email', columnNames: ['email'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_sessions',
        columns: [
          id('id', true),
          id('user_id'),
          millis('created_at'),
          millis('last_used_at'),
          millis('idle_expires_at'),
          millis('absolute_expires_at'),
          millis('revoked_at', true),
          { name: 'revoked_reason', type: 'varchar', length: '32', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '512', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndices('auth_sessions', [
      new TableIndex({ name: 'idx_auth_sessions_user_id', columnNames: ['user_id'] }),
      new TableIndex({ name: 'idx_auth_sessions_revoked_at', columnNames: ['revoked_at'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'auth_refresh_tokens',
        columns: [
          id('id', true),
          id('session_id'),
          millis('issued_at'),
          millis('expires_at'),
          millis('spent_at', true),
          { name: 'successor_id', type: 'varchar', length: '36', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'auth_refresh_tokens',
      new TableIndex({ name: 'idx_auth_refresh_tokens_session_id', columnNames: ['session_id'] }),
    );
    await queryRunner.createForeignKey(
      'auth_refresh_tokens',
      new TableForeignKey({
        columnNames: ['session_id'],
        referencedTableName: 'auth_sessions',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_refresh_tokens');
    await queryRunner.dropTable('auth_sessions');
    await queryRunner.dropTable('auth_users');
  }
}
