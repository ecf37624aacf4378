/**
 * `nest-session-auth`: what a host app imports (docs/host-guide.md: Use it in your Nest app). The module and its features'
 * factories, the decorators and guards, the ports with their injection tokens, the types of what the module hands
 * out, and `AuthError` with its codes. The rest is in subpath entries, each loaded only by a host that imports it:
 * `/typeorm` (entities, migrations, stores), `/redis`, `/account-mail` (the mail feature's service, worker, ports,
 * templates and options), `/mfa` (its options and ports), `/realtime` (GraphQL and socket.io), `/stores` (what
 * implementing a port needs), `/errors` (the faces' tables, filters and exceptions, and `defineAuthErrorCodes`),
 * `/feature-kit` (the feature contract and the sign-in hooks, for a host or package that writes a feature),
 * `/settings` (key loading and policy checks for a host's own configuration), `/testing`.
 */
export { AuthModule } from './auth.module';
export { type AuthModuleExtras, defaultFeatures } from './auth.module-extras';
export type { AuthModuleOptions } from './core/options/auth.options';
export { AuthService } from './core/auth.service';
export { AuthEvents } from './core/events/auth-events';
export type { AuthEvent, AuthEventOf, AuthEventType } from './core/events/auth-event.types';
export type {
  AuthLevel,
  AuthUser,
  ClientInfo,
  LogoutScope,
  ManagedUser,
  PublicUser,
  SessionView,
  TokenPair,
} from './core/model/auth.types';
export { ADMIN_ROLE } from './core/accounts/user-administration';

// Features and the seams they plug into.
export { accountMail } from './features/account-mail/account-mail.feature';
export { administration } from './features/administration';
export { jwks } from './features/jwks';
export { mfa } from './features/mfa/mfa.feature';
export { passkeys } from './features/passkeys/passkeys.feature';
export { throttling } from './features/throttling/throttling.feature';
export type { AuthFeature } from './core/auth-feature';

// Decorators and guards.
export { AllowRevokedSession } from './http/decorators/allow-revoked-session.decorator';
export { CurrentUser } from './http/decorators/current-user.decorator';
export { Public } from './http/decorators/public.decorator';
export { markGuardedRoutes } from './http/openapi-guarded-routes';
export { Roles } from './http/decorators/roles.decorator';
export { RequireAuth } from './http/decorators/require-auth.decorator';
export { AccessTokenGuard } from './http/guards/access-token.guard';
export { RolesGuard } from './http/guards/roles.guard';

// Ports and their injection tokens.
export { CLOCK, type Clock } from './core/clock/clock';
export { USER_STORE, type UserRecord, type UserStore } from './core/model/user-store.port';
export {
  SESSION_STORE,
  type SessionRecord,
  type SessionStore,
} from './core/model/session-store.port';
export { REVOCATION_LIST, type RevocationList } from './core/model/revocation-list.port';

// Errors: one class and its stable codes (the faces' tables, and the filters a host's resolvers and gateways use,
// are in `/errors`).
export { AuthError, type AuthErrorCode, type AuthErrorDetails } from './core/errors/auth-error';
