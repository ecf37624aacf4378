import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../options/auth.options';
import { CLOCK, type Clock } from '../clock/clock';
import { SESSION_STORE, type SessionStore } from '../model/session-store.port';
import {
  REVOCATION_LIST,
  revocationEntries,
  revokeAll,
  type RevocationList,
  revocationWindowMs,
} from '../model/revocation-list.port';

/**
 * Rebuilds the revocation list from the database at boot: sessions revoked within the last access-token lifetime
 * may still have unexpired access tokens, and a restart must not bring those back to life. The one read of them at
 * boot, published in one batch (a Redis list takes it to every instance in one message).
 */
@Injectable()
export class RevocationListLoader implements OnApplicationBootstrap {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const window = revocationWindowMs(this.options.jwtExpiration);
    const revoked = await this.sessions.listRevokedSince(this.clock.now() - window);
    await revokeAll(this.revocations, revocationEntries(revoked, window));
  }
}
