import { Injectable } from '@nestjs/common';
import type { AuthHooks, HeldSecondFactor, SecondFactorProof } from '../../core/hooks/hooks';
import type { UserRecord } from '../../core/model/user-store.port';
import { PasskeysService } from './passkeys.service';

/**
 * Where passkeys meet the rest of the module without naming another feature: a user holding one has a second factor
 * (the login's challenge offers `passkey`, `GET <prefix>/mfa` counts them), an assertion answers that challenge and
 * re-authentication, an admin's removal of factors and a deleted user take the passkeys with them.
 */
@Injectable()
export class PasskeysHooks implements AuthHooks {
  constructor(private readonly passkeys: PasskeysService) {}

  async secondFactorsOf(userId: string): Promise<HeldSecondFactor | undefined> {
    const count = await this.passkeys.count(userId);
    return count > 0 ? { method: 'passkey', count } : undefined;
  }

  async secondFactorProved(
    user: UserRecord,
    proof: SecondFactorProof,
  ): Promise<readonly string[] | false | undefined> {
    if (proof.method !== 'passkey') return undefined;
    return this.passkeys.provesFor(user, proof.value, proof.client);
  }

  secondFactorsRemoved(userId: string): Promise<void> {
    return this.passkeys.removeAllOf(userId, 'admin');
  }

  userDeleting(userId: string): Promise<void> {
    return this.passkeys.removeAllOf(userId, undefined);
  }
}
