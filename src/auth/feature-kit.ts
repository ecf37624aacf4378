/**
 * `nest-session-auth/feature-kit`: what a host or a package needs to write a feature of its own (docs/architecture.md: How it is
 * built). The feature contract (`AuthFeature` and the parts it contributes), the typed seams of a sign-in that a
 * feature or a host hooks into, and the step-up check the built-in faces use, for a face of its own. Error codes of a
 * feature are declared with `defineAuthErrorCodes` from `/errors`.
 */
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
} from './core/hooks/hooks';
export type { SessionAuthentication } from './core/model/auth.types';
export { type AuthRequirement, authenticationShortfall } from './core/step-up';
// A route of a feature that takes a refresh token (body or cookie, as the module's own refresh route does).
export { RefreshTokenGuard } from './http/guards/refresh-token.guard';
