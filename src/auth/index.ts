/**
 * `nest-session-auth`: what a host app imports (README: Use it in your Nest app). The module and its features'
 * factories, the decorators and guards, the ports with their injection tokens, the types of what the module hands
 * out, and `AuthError` with its codes. The rest is in subpath entries, each loaded only by a host that imports it:
 * `/typeorm` (entities, migrations, stores), `/redis`, `/account-mail` (the mail feature's service, worker, ports and
 * templates), `/realtime` (GraphQL and socket.io), `/stores` (what implementing a port needs), `/errors` (the faces'
 * tables and exceptions), `/settings` (key loading and policy checks for a host's own configuration), `/testing`.
 */
export { AuthModule } from './auth.module';
export { type AuthModuleExtras, type AuthRoutes, defaultFeatures } from './auth.module-extras';
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
  SessionAuthentication,
  SessionView,
  TokenPair,
} from './core/model/auth.types';
export { ADMIN_ROLE } from './core/accounts/user-administration';

// Features and the seams they plug into.
export { accountMail } from './features/account-mail/account-mail.feature';
export type { AccountMailOptions } from './features/account-mail/account-mail.options';
export { administration } from './features/administration';
export { jwks } from './features/jwks';
export { mfa } from './features/mfa/mfa.feature';
export type { MfaOptions } from './features/mfa/mfa.options';
export { passkeys } from './features/passkeys/passkeys.feature';
export type { PasskeysOptions } from './features/passkeys/passkeys.options';
export type {
  AuthFeature,
  FeatureContext,
  FeatureParts,
  FeaturePrunable,
  FeatureSchema,
  PrunableStore,
} from './core/auth-feature';
export type {
  AuthHooks,
  HeldSecondFactor,
  PasswordResetExtras,
  SecondFactorProof,
  SessionOpening,
  SignInAssurance,
  SignInAttempt,
  SignInChallenge,
  SignInsForgottenReason,
} from './core/hooks';

// Decorators and guards.
export { AllowRevokedSession } from './http/decorators/allow-revoked-session.decorator';
export { CurrentUser } from './http/decorators/current-user.decorator';
export { Public } from './http/decorators/public.decorator';
export { markGuardedRoutes } from './http/openapi-guarded-routes';
export { Roles } from './http/decorators/roles.decorator';
export { RequireAuth } from './http/decorators/require-auth.decorator';
export { type AuthRequirement, authenticationShortfall } from './core/step-up';
export { AccessTokenGuard } from './http/guards/access-token.guard';
export { RefreshTokenGuard } from './http/guards/refresh-token.guard';
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

// Errors: one class, stable codes, and the HTTP answer of a code for a host's own routes.
export {
  AuthError,
  type AuthErrorCode,
  type AuthErrorDetails,
  defineAuthErrorCodes,
  type RegisteredAuthErrorCodes,
} from './core/errors/auth-error';
export { AuthErrorHandling } from './http/errors/auth-errors.interceptor';
export { toHttpException } from './http/errors/to-http-exception';
export { AuthSocketErrorsFilter } from './contexts/socket-refusal';
