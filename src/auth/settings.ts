/**
 * `nest-session-auth/settings`: the checks the module runs on its own settings, for a host that validates its
 * configuration before the module boots (the reference server does): signing keys parsed once, algorithms, secret
 * length, the password policy, and the input-depth pipe for a host's own routes.
 */
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
export { passwordPolicyViolation } from './core/passwords/password-policy';
export { PasswordService } from './core/passwords/password.service';
export { InputDepthPipe, MAX_INPUT_DEPTH } from './http/validation/nesting-depth';
