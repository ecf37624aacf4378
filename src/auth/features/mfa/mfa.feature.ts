import type { AuthFeature } from '../../core/auth-feature';
import './mfa.errors';
import { type MfaOptions, resolveMfaOptions } from './mfa.options';

/** The feature's Nest parts, loaded only for a host that registers it (docs/performance.md: Boot and memory). */
function featureParts(): typeof import('./mfa.parts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./mfa.parts') as typeof import('./mfa.parts');
}

/**
 * The second factor and step-up (CONTRACT 4.15): TOTP (RFC 6238) with recovery codes, a login's challenge
 * (`{ mfaRequired, mfaToken, methods }`) met at `POST <prefix>/mfa/verify`, re-authentication at
 * `POST <prefix>/reauthenticate`, and an admin's `DELETE <prefix>/admin/users/:id/mfa`. Access tokens then carry
 * `acr` `aal2`, which `@RequireAuth({ acr: 'aal2' })` asks for.
 *
 * Its state lives in the tables `auth_mfa_totp`, `auth_mfa_recovery_codes`, `auth_mfa_challenges` and
 * `auth_mfa_devices` (on the host's data source when a built-in TypeORM store is registered; else in process, or in
 * `store`). With `mode: 'off'` it adds no route and asks no login for a second factor.
 * @throws Error at once, naming each bad or unknown option.
 * @example `features: [mfa({ encryptionKey: process.env.MFA_ENCRYPTION_KEY })]`
 */
export function mfa(options: MfaOptions = {}): AuthFeature {
  const resolved = resolveMfaOptions(options);
  return {
    id: 'mfa',
    typeormSchema: () => featureParts().typeormSide().mfaSchema,
    parts: (context) => featureParts().mfaParts(resolved, context),
  };
}
