/**
 * The module's public surface: what a host app may import (README: Use it in your Nest app). Everything else is
 * private. Test helpers are in `nest-session-auth/testing` (src/auth/testing), not here.
 */
export { AuthModule } from './auth.module';
export {
  type AuthModuleExtras,
  type AuthRoutes,
  defaultFeatures,
  type TypeOrmStores,
} from './auth.module-extras';
export type { AuthModuleOptions } from './core/auth.options';
export { AuthService } from './core/auth.service';
export { ADMIN_ROLE } from './core/accounts/user-administration';
export type { UserPage } from './features/administration/user-pages';
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
} from './core/auth.types';
export { CLOCK, type Clock } from './core/clock/clock';
export { AllowRevokedSession } from './http/decorators/allow-revoked-session.decorator';
export { CurrentUser } from './http/decorators/current-user.decorator';
export { Public } from './http/decorators/public.decorator';
export { Roles } from './http/decorators/roles.decorator';
export { RequireAuth } from './http/decorators/require-auth.decorator';
export { type AuthRequirement, authenticationShortfall } from './core/step-up';
export { AuthEvents } from './core/events/auth-events';
export type { AuthEvent, AuthEventOf, AuthEventType } from './core/events/auth-event.types';
export { AccessTokenGuard } from './http/guards/access-token.guard';
export { RefreshTokenGuard } from './http/guards/refresh-token.guard';
export { RolesGuard } from './http/guards/roles.guard';
export {
  AuthError,
  type AuthErrorCode,
  type AuthErrorCodeDefinition,
  type AuthErrorDetails,
  authErrorCodes,
  CORE_AUTH_ERROR_CODES,
  type CoreAuthErrorCode,
  defineAuthErrorCodes,
  type RegisteredAuthErrorCodes,
  RevokedSessionError,
  TokenRejectedError,
  type TokenRejectionReason,
} from './core/errors/auth-error';
export { AuthErrorHandling, AuthErrorsInterceptor } from './http/errors/auth-errors.interceptor';
export {
  InsufficientScopeException,
  InvalidTokenException,
  MissingTokenException,
} from './http/errors/bearer-challenge.exception';
export {
  defineGraphQLErrorCodes,
  type GraphQLRefusalCode,
  type GraphQLRefusalExtensions,
} from './contexts/graphql-refusal';
export {
  AuthSocketErrorsFilter,
  type SocketRefusalAck,
  toSocketAck,
} from './contexts/socket-refusal';
export {
  AuthHttpException,
  type AuthErrorBody,
  defineHttpErrorAnswers,
  type HttpErrorAnswer,
  toHttpException,
} from './http/errors/to-http-exception';
export { AuthRedisHealth } from './adapters/redis/auth-redis-health';
export { passwordPolicyViolation } from './core/passwords/password-policy';
export { PasswordService } from './core/passwords/password.service';
export {
  REVOCATION_LIST,
  type RevocationList,
  type RevocationListener,
  type RevokedSession,
} from './core/revocation/revocation-list.port';
export { RefreshTokenEntity } from './adapters/typeorm/refresh-token.entity';
export { SessionEntity } from './adapters/typeorm/session.entity';
export type {
  NewRefreshToken,
  RefreshContext,
  RefreshTokenRecord,
  RevocationReason,
  RotationResult,
  SessionRecord,
  SessionStore,
  Spender,
} from './core/sessions/session-store.port';
export { SESSION_STORE } from './core/sessions/session-store.port';
export { SessionPruner } from './core/sessions/session-pruner';
export {
  type AccessKeyInputs,
  type AccessKeyNames,
  type AccessKeys,
  type JsonWebKeySet,
  loadAccessKeys,
  type PublicJwk,
} from './core/tokens/access-keys';
export {
  type AsymmetricAlgorithm,
  droppedAlgorithmProblem,
  isAsymmetric,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
} from './core/tokens/jwt-algorithm';
export { MIN_SECRET_LENGTH } from './core/tokens/token-keys';
export { authEntities, authMigrations } from './adapters/typeorm/schema';
export { InputDepthPipe, MAX_INPUT_DEPTH } from './http/validation/nesting-depth';
export {
  EmailTakenError,
  MAX_USER_ID_LENGTH,
  type NewUser,
  normalizeEmail,
  USER_STORE,
  type UserListQuery,
  type UserRecord,
  type UserStore,
} from './core/users/user-store.port';
export { UserEntity } from './adapters/typeorm/user.entity';
export {
  accountMail,
  type AccountMailOptions,
  type EmailVerificationMode,
  MAIL_OPTIONS,
  type MailWorkerOptions,
} from './features/account-mail';
export { AccountLifecycle } from './features/account-mail/account-lifecycle';
export { administration } from './features/administration';
export { jwks } from './features/jwks';
export { mfa, type MfaMode, type MfaOptions, MFA_OPTIONS } from './features/mfa';
export { MfaService, type MfaStatus } from './features/mfa/mfa.service';
export {
  type ChallengeRecord,
  MFA_STORE,
  type MfaStore,
  type RememberedDeviceRecord,
  type TotpFactorRecord,
} from './features/mfa/mfa-store.port';
export type { AuthFeature, FeatureContext, FeatureParts } from './core/auth-feature';
export type {
  AuthHooks,
  PasswordResetExtras,
  SessionOpening,
  SignInAssurance,
  SignInAttempt,
  SignInChallenge,
  SignInsForgottenReason,
} from './core/hooks';
export { MAILER, type Mailer, type OutgoingMail } from './features/account-mail/mailer.port';
export {
  type ClaimedMail,
  MAIL_STORE,
  type MailStore,
  type NewMailToken,
  type SpentMailToken,
} from './features/account-mail/mail-store.port';
export {
  defaultMailTemplates,
  type EmailChangeNoticeContext,
  escapeHtml,
  type LinkMailContext,
  type MailTemplates,
  type RenderedMail,
  type SecurityNoticeContext,
} from './features/account-mail/mail-templates';
export { MailOutboxWorker } from './features/account-mail/mail-outbox.worker';
export { SmtpMailer } from './features/account-mail/smtp.mailer';
export { FileOutboxMailer } from './features/account-mail/file-outbox.mailer';
export type { MailTokenPurpose } from './features/account-mail/mail-token';
