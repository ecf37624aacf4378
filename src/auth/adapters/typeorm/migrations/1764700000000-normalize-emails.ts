import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeEmail } from '../../../core/users/email-address';

interface StoredUser {
  id: string;
  email: string;
}

/**
 * Brings the addresses stored in `auth_users` to the form every address is now compared in (`normalizeEmail`:
 * NFC, lower case, ASCII domain), so that an account registered under another spelling is still found. Two accounts
 * whose addresses become the same are never merged: both are left as they are and reported (their ids, at `warn`),
 * for someone to decide which one stays. Without an `auth_users` table (a host with its own user store), nothing to do.
 */
export class NormalizeEmails1764700000000 implements MigrationInterface {
  name = 'NormalizeEmails1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasTable('auth_users'))) return;
    const users = (await queryRunner.query(
      'SELECT "id", "email" FROM "auth_users"',
    )) as StoredUser[];
    const byForm = new Map<string, StoredUser[]>();
    for (const user of users) {
      const form = normalizeEmail(user.email);
      byForm.set(form, [...(byForm.get(form) ?? []), user]);
    }
    const clashes: string[][] = [];
    for (const [form, owners] of byForm) {
      if (owners.length > 1) {
        clashes.push(owners.map((owner) => owner.id));
        continue;
      }
      if (owners[0].email === form) continue;
      await queryRunner.manager
        .createQueryBuilder()
        .update('auth_users')
        .set({ email: form })
        .where('id = :id', { id: owners[0].id })
        .execute();
    }
    if (clashes.length > 0) {
      new Logger('AuthMigrations').warn(
        `${clashes.length} group(s) of accounts have addresses that are one address once normalized; they were ` +
          `left unchanged and only one of each group can sign in: merge or delete by hand. User ids: ` +
          clashes.map((ids) => ids.join(' = ')).join('; '),
      );
    }
  }

  /** Nothing to undo: the old spellings are not kept, and the normalized ones still work. */
  async down(): Promise<void> {}
}
