/**
 * `nest-session-auth/mfa`: the second-factor feature's factory and what a host may use of it (its service, the
 * `MfaStore` port). The main entry re-exports only the factory.
 */
export { mfa } from './mfa.feature';
export { type MfaMode, type MfaOptions, MFA_OPTIONS, type ResolvedMfaOptions } from './mfa.options';
export { MfaService, type MfaStatus } from './mfa.service';
export {
  type ChallengeRecord,
  MFA_STORE,
  type MfaStore,
  type RememberedDeviceRecord,
  type TotpFactorRecord,
} from './mfa-store.port';
