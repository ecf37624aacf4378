import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Whether each address is verified (existing accounts start unverified: nobody ever proved them). Before 0.2 this
 * migration also created the account-mail feature's tables; they are now that feature's own migration
 * (`CreateMailTables1765000000000`), which finds them in place on a database that ran this one before.
 */
export class AccountLifecycleMail1764800000000 implements MigrationInterface {
  name = 'AccountLifecycleMail1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'auth_users',
      new TableColumn({ name: 'email_verified', type: 'boolean', default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_users', 'email_verified');
  }
}
