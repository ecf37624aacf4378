import {
  droppedAlgorithmProblem,
  isAsymmetric,
  JWT_ALGORITHMS,
  loadAccessKeys,
} from '../auth/settings';
import type { AppConfig } from './app-config';
import type { EnvReader } from './env-readers';

const KEY_VARIABLES = {
  privateKey: 'JWT_PRIVATE_KEY',
  publicKey: 'JWT_PUBLIC_KEY',
  previousPublicKeys: 'JWT_PREVIOUS_PUBLIC_KEYS',
} as const;

type SigningKeys = Pick<
  AppConfig['jwt'],
  'algorithm' | 'privateKey' | 'publicKey' | 'previousPublicKeys' | 'keys'
>;

/**
 * Reads `JWT_ALGORITHM` and, for an asymmetric one, its PEM keys, parsed and checked by the module's own
 * `loadAccessKeys` (each parses, is of the algorithm's type, the two make a pair). A bad key stops the start in every environment, with one line
 * naming its variable: unlike a missing secret, there is no safe stand-in for a key that other services trust.
 * PEMs may come on one line with literal `\n` sequences (see `pemBlocks`).
 */
export function readSigningKeys(read: EnvReader, warnings: string[]): SigningKeys {
  const dropped = droppedAlgorithmProblem('JWT_ALGORITHM', read.raw('JWT_ALGORITHM'));
  if (dropped !== undefined) {
    // One line naming ES256: not the generic "must be one of", nor the key problems that would follow. Reported as
    // the asymmetric algorithm it replaces, so that the JWT_SECRET an EdDSA setup never needed is not asked for.
    read.fail(dropped);
    return { algorithm: 'ES256' };
  }
  const algorithm = read.oneOf('JWT_ALGORITHM', JWT_ALGORITHMS, 'HS256');
  const pems = {
    privateKey: read.raw(KEY_VARIABLES.privateKey),
    publicKey: read.raw(KEY_VARIABLES.publicKey),
    previousPublicKeys: read.raw(KEY_VARIABLES.previousPublicKeys),
  };
  if (!isAsymmetric(algorithm)) {
    // Keys next to HS256 would be silently unused: most likely JWT_ALGORITHM was forgotten (or mistyped: that is
    // reported already).
    if (read.problems.some((problem) => problem.startsWith('JWT_ALGORITHM'))) return { algorithm };
    for (const name of Object.values(KEY_VARIABLES)) {
      if (read.raw(name) !== undefined) {
        read.fail(`${name} is set but JWT_ALGORITHM is HS256: set JWT_ALGORITHM to ES256 or RS256`);
      }
    }
    return { algorithm };
  }
  // Parsed here, once: the module is given these KeyObjects, not the PEMs again.
  const { keys, problems } = loadAccessKeys({ algorithm, ...pems }, KEY_VARIABLES);
  for (const problem of problems) read.fail(problem);
  if (read.raw('JWT_SECRET') !== undefined) {
    warnings.push(
      `JWT_SECRET is not used with JWT_ALGORITHM=${algorithm}: access tokens are signed with JWT_PRIVATE_KEY ` +
        '(refresh tokens with JWT_REFRESH_SECRET)',
    );
  }
  return { algorithm, ...pems, keys };
}
