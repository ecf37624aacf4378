import { KEY_OPTION_NAMES, type ResolvedAuthOptions } from './auth.options';
import { loadAccessKeys } from '../tokens/access-keys';
import { isAsymmetric } from '../tokens/jwt-algorithm';
import { hmacKey } from '../tokens/token-keys';
import type { TokenSettings } from '../tokens/token-settings';

/**
 * The token layer's settings, taken from the resolved options once at boot: secrets made KeyObjects, and with an
 * asymmetric `jwtAlgorithm` the keys checked (type, pair) with their `kid`s and JWKS computed. `resolveAuthOptions`
 * has parsed every PEM into a KeyObject already, so nothing is parsed here, and nothing is ever parsed again.
 * @throws Error `Invalid AuthModule options: ...` when the access keys do not fit the algorithm (options that did
 * not go through `resolveAuthOptions`).
 */
export function tokenSettingsFrom(options: ResolvedAuthOptions): TokenSettings {
  const algorithm = options.jwtAlgorithm;
  let access: TokenSettings['access'];
  if (isAsymmetric(algorithm)) {
    const { keys, problems } = loadAccessKeys(
      {
        algorithm,
        privateKey: options.jwtPrivateKey,
        publicKey: options.jwtPublicKey,
        previousPublicKeys: options.jwtPreviousPublicKeys,
      },
      KEY_OPTION_NAMES,
    );
    if (keys === undefined) throw new Error(`Invalid AuthModule options: ${problems.join('; ')}`);
    access = keys;
  } else {
    access = { algorithm, key: hmacKey(options.jwtSecret ?? '') };
  }
  return {
    access,
    refreshKey: hmacKey(options.jwtRefreshSecret),
    issuer: options.jwtIssuer,
    audience: options.jwtAudience,
    accessLifetime: options.jwtExpiration,
    refreshLifetime: options.jwtRefreshExpiration,
  };
}
