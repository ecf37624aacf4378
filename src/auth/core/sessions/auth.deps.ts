import type { Logger } from '@nestjs/common';
import type { ResolvedAuthOptions } from '../options/auth.options';
import type { Clock } from '../clock/clock';
import type { AuthEvents } from '../events/auth-events';
import type { PasswordService } from '../passwords/password.service';
import type { RevocationList } from '../model/revocation-list.port';
import type { SessionStore } from '../model/session-store.port';
import type { FailedLogins } from '../throttling/failed-logins';
import type { TokenService } from '../tokens/token.service';
import type { UserStore } from '../model/user-store.port';

/**
 * What AuthService is injected with, handed as one bag to the parts it is made of (sessions opened, refresh
 * rotation, sessions of a user, accounts): they are built by AuthService, not by Nest, so that the module and a
 * host that provides AuthService itself see one provider, as before the split.
 */
export interface AuthDeps {
  options: ResolvedAuthOptions;
  users: UserStore;
  sessions: SessionStore;
  revocations: RevocationList;
  clock: Clock;
  passwords: PasswordService;
  tokens: TokenService;
  events: AuthEvents;
  failedLogins: FailedLogins;
  /** AuthService's logger: its lines keep the `AuthService` context. */
  logger: Logger;
}
