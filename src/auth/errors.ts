/**
 * `nest-session-auth/errors`: the error faces' tables and classes, for a host that extends them (a feature's own
 * codes on each face, declared with `defineAuthErrorCodes`) or answers like the module on its own routes, resolvers
 * (`AuthErrorHandling`) and gateways (`AuthSocketErrorsFilter`). `AuthError` and its codes are in the main entry.
 */
export {
  type AuthErrorCodeDefinition,
  authErrorCodes,
  defineAuthErrorCodes,
  type RegisteredAuthErrorCodes,
  CORE_AUTH_ERROR_CODES,
  type CoreAuthErrorCode,
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
  AuthHttpException,
  type AuthErrorBody,
  defineHttpErrorAnswers,
  type HttpErrorAnswer,
  toHttpException,
} from './http/errors/to-http-exception';
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
