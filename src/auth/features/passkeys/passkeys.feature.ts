import type { AuthFeature } from '../../core/auth-feature';
import './passkeys.errors';
import { type PasskeysOptions, resolvePasskeysOptions } from './passkeys.options';

/** The feature's Nest parts, loaded only for a host that registers it (docs/performance.md: Boot and memory). */
function featureParts(): typeof import('./passkeys.parts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./passkeys.parts') as typeof import('./passkeys.parts');
}

/**
 * Passkeys (CONTRACT 4.16, WebAuthn Level 3): registration behind a recent authentication, list, rename and delete
 * under `<prefix>/passkeys`, passwordless login with a discoverable credential, and a passkey as the second factor of
 * a login's challenge and of `POST <prefix>/reauthenticate` (those routes are the `mfa()` feature's: register it too
 * for that; a user holding a passkey then has a second factor).
 *
 * Passkeys and ceremony challenges live in the tables `auth_passkeys` and `auth_passkey_challenges` on the host's
 * data source when a built-in TypeORM store is registered (a ceremony started on one instance finishes on another),
 * else in process, or in `store`. `@simplewebauthn/server` (an optional peer: install it with the feature; Node.js 22+)
 * is loaded at the first ceremony; missing, the boot stops with one line saying so.
 * @throws Error at once, naming each bad or unknown option (an RP ID that is not a registrable suffix of every
 * origin's host among them).
 * @example `features: [mfa(), passkeys({ rpId: 'example.com', origins: ['https://app.example.com'] })]`
 */
export function passkeys(options: PasskeysOptions = {}): AuthFeature {
  const resolved = resolvePasskeysOptions(options);
  return {
    id: 'passkeys',
    typeormSchema: () => featureParts().typeormSide().passkeysSchema,
    parts: (context) => featureParts().passkeysParts(resolved, context),
  };
}
