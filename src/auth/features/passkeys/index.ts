/**
 * `nest-session-auth/passkeys`: the passkeys feature's factory and what a host may use of it (its service, the
 * `PasskeyStore` port, the RP ID check its configuration may run first). The main entry re-exports only the factory.
 */
export { passkeys } from './passkeys.feature';
export {
  type PasskeysOptions,
  PASSKEYS_OPTIONS,
  type ResolvedPasskeysOptions,
} from './passkeys.options';
export { PasskeysService, type PasskeyView } from './passkeys.service';
export {
  type PasskeyChallengeRecord,
  type PasskeyDeviceType,
  type PasskeyRecord,
  PASSKEY_STORE,
  type PasskeyStore,
} from './passkey-store.port';
export { relyingPartyProblems } from './relying-party';
