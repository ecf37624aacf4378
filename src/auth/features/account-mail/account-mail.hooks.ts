import { Injectable } from '@nestjs/common';
import type { AuthHooks } from '../../core/hooks/hooks';
import type { PublicUser } from '../../core/model/auth.types';
import type { UserRecord } from '../../core/model/user-store.port';
import { AccountLifecycle } from './account-lifecycle';

/**
 * Where account mail meets the sign-in and the account's life: the verification mail after a registration, the
 * refusal of an unverified login when verification is `required`, and the user's links forgotten at deletion.
 */
@Injectable()
export class AccountMailHooks implements AuthHooks {
  constructor(private readonly lifecycle: AccountLifecycle) {}

  identityVerified(user: UserRecord): void {
    this.lifecycle.assertMayLogIn(user);
  }

  userRegistered(user: PublicUser): Promise<void> {
    return this.lifecycle.afterRegistration(user);
  }

  userDeleting(userId: string): Promise<void> {
    return this.lifecycle.forgetUser(userId);
  }
}
