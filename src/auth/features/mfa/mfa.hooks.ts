import { Injectable } from '@nestjs/common';
import type { AuthHooks, SignInChallenge } from '../../core/hooks';
import type { UserRecord } from '../../core/users/user-store.port';
import { MfaService } from './mfa.service';

/**
 * Where the second factor meets the sign-in: a user with a factor gets a challenge instead of a session (a state of
 * the sign-in, not an error), and a deleted user's factors, codes and devices go with them.
 */
@Injectable()
export class MfaHooks implements AuthHooks {
  constructor(private readonly mfa: MfaService) {}

  sessionOpening(user: UserRecord): Promise<SignInChallenge | undefined> {
    return this.mfa.challengeFor(user);
  }

  userDeleting(userId: string): Promise<void> {
    return this.mfa.forgetUser(userId);
  }
}
