import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Each user's credential epoch (`UserRecord.credentialEpoch`): moved on by a password change or reset, a disabling,
 * a sign-out of every session, so that what was authorized before (a mailed link) dies with it. Users from before
 * start at 0.
 */
export class CredentialEpoch1765200000000 implements MigrationInterface {
  name = 'CredentialEpoch1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'auth_users',
      new TableColumn({ name: 'credential_epoch', type: 'integer', default: 0, isNullable: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_users', 'credential_epoch');
  }
}
