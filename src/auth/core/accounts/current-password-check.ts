import { Injectable } from '@nestjs/common';
import { AuthError } from '../errors/auth-error';
import { PasswordService } from '../passwords/password.service';
import { FailedLogins } from '../throttling/failed-logins';
import type { UserRecord } from '../model/user-store.port';

/**
 * The check of a signed-in user's current password before a change of their account (a password change, an email
 * change, the deletion of the account): it spends the same per-account budget as a login (docs/operations.md: Abuse limits),
 * so an access token, stolen or not, is no unlimited oracle for the password. A wrong password counts as a failed
 * login of the account; past the free failures the account waits, whichever route is tried, and a right password
 * clears the count as a login does.
 */
@Injectable()
export class CurrentPasswordCheck {
  constructor(
    private readonly passwords: PasswordService,
    private readonly failedLogins: FailedLogins,
  ) {}

  /**
   * @throws AuthError `RATE_LIMITED` (with the seconds to wait) while the account waits, before any bcrypt work;
   * `WRONG_CURRENT_PASSWORD` (403, not 401: a client that refreshes on 401 would loop) when it does not match.
   */
  async assert(user: UserRecord, password: string): Promise<void> {
    await this.failedLogins.assertMayTry(user.email);
    if (!(await this.passwords.matches(password, user.passwordHash))) {
      await this.failedLogins.recordFailure(user.email);
      throw new AuthError('WRONG_CURRENT_PASSWORD');
    }
    await this.failedLogins.recordSuccess(user.email);
  }
}
