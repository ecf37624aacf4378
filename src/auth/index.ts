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
export type { AuthModuleOptions } from './auth.options';
export { AuthService } from './auth.service';
export { ADMIN_ROLE } from './accounts/user-administration';
export type { UserPage } from './accounts/user-pages';
export type {
  AuthUser,
  ClientInfo,
  LogoutScope,
  ManagedUser,
  PublicUser,
  SessionView,
  TokenPair,
} from './auth.types';
export { CLOCK, type Clock } from './clock/clock';
export { AllowRevokedSession } from './decorators/allow-revoked-session.decorator';
export { CurrentUser } from './decorators/current-user.decorator';
export { Public } from './decorators/public.decorator';
export { Roles } from './decorators/roles.decorator';
export { AuthEvents } from './events/auth-events';
export type { AuthEvent, AuthEventOf, AuthEventType } from './events/auth-event.types';
export { AccessTokenGuard } from './guards/access-token.guard';
export { RefreshTokenGuard } from './guards/refresh-token.guard';
export { RolesGuard } from './guards/roles.guard';
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
} from './errors/auth-error';
export { AuthErrorHandling, AuthErrorsInterceptor } from './errors/auth-errors.interceptor';
export {
  InsufficientScopeException,
  InvalidTokenException,
  MissingTokenException,
} from './errors/bearer-challenge.exception';
export {
  defineGraphQLErrorCodes,
  type GraphQLRefusalCode,
  type GraphQLRefusalExtensions,
} from './errors/graphql-refusal';
export {
  AuthSocketErrorsFilter,
  type SocketRefusalAck,
  toSocketAck,
} from './errors/socket-refusal';
export {
  AuthHttpException,
  type AuthErrorBody,
  defineHttpErrorAnswers,
  type HttpErrorAnswer,
  toHttpException,
} from './errors/to-http-exception';
export { AuthRedisHealth } from './health/auth-redis-health';
export { passwordPolicyViolation } from './passwords/password-policy';
export { PasswordService } from './passwords/password.service';
export {
  REVOCATION_LIST,
  type RevocationList,
  type RevocationListener,
  type RevokedSession,
} from './revocation/revocation-list.port';
export { RefreshTokenEntity } from './sessions/refresh-token.entity';
export { SessionEntity } from './sessions/session.entity';
export type {
  NewRefreshToken,
  RefreshContext,
  RefreshTokenRecord,
  RevocationReason,
  RotationResult,
  SessionRecord,
  SessionStore,
  Spender,
} from './sessions/session-store.port';
export { SESSION_STORE } from './sessions/session-store.port';
export { SessionPruner } from './sessions/session-pruner';
export {
  type AccessKeyInputs,
  type AccessKeyNames,
  type AccessKeys,
  type JsonWebKeySet,
  loadAccessKeys,
  type PublicJwk,
} from './tokens/access-keys';
export {
  type AsymmetricAlgorithm,
  droppedAlgorithmProblem,
  isAsymmetric,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
} from './tokens/jwt-algorithm';
export { MIN_SECRET_LENGTH } from './tokens/token-keys';
export { authEntities, authMigrations } from './typeorm/schema';
export { InputDepthPipe, MAX_INPUT_DEPTH } from './validation/nesting-depth';
export {
  EmailTakenError,
  MAX_USER_ID_LENGTH,
  type NewUser,
  normalizeEmail,
  USER_STORE,
  type UserListQuery,
  type UserRecord,
  type UserStore,
} from './users/user-store.port';
export { UserEntity } from './users/user.entity';
export {
  accountMail,
  type AccountMailOptions,
  type EmailVerificationMode,
  MAIL_OPTIONS,
  type MailWorkerOptions,
} from './features/account-mail';
export { AccountLifecycle } from './accounts/account-lifecycle';
export { administration } from './features/administration';
export { jwks } from './features/jwks';
export type { AuthFeature, FeatureContext, FeatureParts } from './core/auth-feature';
export type { AuthHooks, SignInAttempt, SignInChallenge } from './core/hooks';
export { MAILER, type Mailer, type OutgoingMail } from './mail/mailer.port';
export {
  type ClaimedMail,
  MAIL_STORE,
  type MailStore,
  type NewMailToken,
  type SpentMailToken,
} from './mail/mail-store.port';
export {
  defaultMailTemplates,
  type EmailChangeNoticeContext,
  escapeHtml,
  type LinkMailContext,
  type MailTemplates,
  type RenderedMail,
} from './mail/mail-templates';
export { MailOutboxWorker } from './mail/mail-outbox.worker';
export { SmtpMailer } from './mail/smtp.mailer';
export { FileOutboxMailer } from './mail/file-outbox.mailer';
export type { MailTokenPurpose } from './mail-tokens/mail-token';
