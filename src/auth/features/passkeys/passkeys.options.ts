import { withoutUndefined } from '../../core/options/option-checks';
import type { PasskeyStore } from './passkey-store.port';
import { relyingPartyProblems } from './relying-party';

/** Options of the passkeys feature (`passkeys({...})`): the WebAuthn relying party. */
export interface PasskeysOptions {
  /**
   * The origins a ceremony may come from (`WEBAUTHN_ORIGINS`): the pages' origins as the browser sees them
   * (`https://app.example.com`, no path; browsers allow plain http on `localhost` only). Default `['http://localhost:3000']`.
   */
  origins?: readonly string[];
  /**
   * The relying party ID (`WEBAUTHN_RP_ID`): the domain passkeys are bound to, equal to or a parent domain of every
   * origin's host (checked at registration of the feature). Default: the host of the first origin.
   */
  rpId?: string;
  /** The name an authenticator may show beside the account (`WEBAUTHN_RP_NAME`). Default `nest-auth`. */
  rpName?: string;
  /**
   * Where passkeys and ceremony challenges live. Default: the TypeORM tables `auth_passkeys` and
   * `auth_passkey_challenges` when a built-in TypeORM store is registered (every instance sees them), else in
   * process (one instance only).
   */
  store?: PasskeyStore;
}

/** The options with their defaults, checked. */
export interface ResolvedPasskeysOptions {
  readonly origins: readonly string[];
  readonly rpId: string;
  readonly rpName: string;
  readonly store?: PasskeyStore;
}

/** The resolved {@link PasskeysOptions} (an injection token). */
export const PASSKEYS_OPTIONS = Symbol('PasskeysOptions');

const KEYS = new Set(['origins', 'rpId', 'rpName', 'store']);
const DEFAULT_ORIGINS = ['http://localhost:3000'];

/**
 * `options` with their defaults.
 * @throws Error at registration, in one line naming every bad or unknown option (an RP ID that does not fit the
 * origins among them).
 */
export function resolvePasskeysOptions(options: PasskeysOptions = {}): ResolvedPasskeysOptions {
  const given = withoutUndefined(options) as PasskeysOptions;
  const origins = [...(given.origins ?? DEFAULT_ORIGINS)];
  const rpId = given.rpId ?? defaultRpId(origins);
  const rpName = given.rpName ?? 'nest-auth';
  const problems = [
    ...Object.keys(options)
      .filter((key) => !KEYS.has(key))
      .map((key) => `${key} is not an option of passkeys`),
    ...relyingPartyProblems(rpId, origins),
    ...(typeof rpName === 'string' && rpName.trim() !== '' ? [] : ['rpName must be a name']),
  ];
  if (problems.length > 0) throw new Error(`Invalid passkeys options: ${problems.join('; ')}`);
  return { origins, rpId, rpName, store: given.store };
}

/** The host of the first origin (the RP ID a single-origin deployment wants), or '' when it is no URL. */
function defaultRpId(origins: readonly string[]): string {
  try {
    return new URL(String(origins[0])).hostname;
  } catch {
    return '';
  }
}
