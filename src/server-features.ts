import {
  accountMail,
  type AccountMailOptions,
  administration,
  type AuthFeature,
  jwks,
  mfa,
  type MfaOptions,
} from './auth';

/**
 * The module's features the reference server registers: all of them. One list for `AuthModule` and for the data
 * source's entities and migrations (which do not depend on the options), so the two cannot disagree.
 */
export function serverFeatures(
  mail: AccountMailOptions = {},
  secondFactor: MfaOptions = {},
): AuthFeature[] {
  return [accountMail(mail), administration(), jwks(), mfa(secondFactor)];
}
