import { withoutUndefined } from './option-checks';
import type { AuthModuleOptions, ResolvedAuthOptions } from './auth.options';
import { KEY_OPTION_NAMES } from './auth.options';
import { loadAccessKeys } from '../tokens/access-keys';
import { droppedAlgorithmProblem, isAsymmetric, JWT_ALGORITHMS } from '../tokens/jwt-algorithm';
import { MIN_SECRET_LENGTH } from '../tokens/token-keys';

const DEFAULTS = {
  jwtAlgorithm: 'HS256',
  jwtExpiration: 900,
  jwtRefreshExpiration: 604_800,
  sessionMaxAge: 2_592_000,
  refreshReuseGrace: 10,
  sessionsPerUser: 100,
  pruneInterval: 3600,
  jwtIssuer: 'nest-auth',
  jwtAudience: 'nest-auth',
  bcryptRounds: 12,
  allowWeakSettings: false,
  refreshTransport: 'body',
  cookieSecure: true,
  redisKeyPrefix: 'nest-auth:',
  trustedOrigins: [],
} satisfies Partial<AuthModuleOptions>;

/** The most live sessions per user: the session list answers them all in one response. */
const MAX_SESSIONS_PER_USER = 10_000;

/** The longest `pruneInterval`: a Node timer takes at most 2^31 - 1 ms (longer ones fire after 1 ms). */
const MAX_PRUNE_INTERVAL = 2_147_483;

/**
 * Fills in the defaults and refuses options the module cannot run safely with, naming the option: all problems at
 * once, in one line. An unknown key (a typo) or an extra returned by `forRootAsync`'s factory is a problem too:
 * it would otherwise be silently ignored.
 * @param keyProblems what the composition root found wrong with the keys themselves (unknown, or an extra), listed
 *   first in the same line.
 * @throws Error `Invalid AuthModule options: <problem>; <problem>`
 */
export function resolveAuthOptions(
  options: AuthModuleOptions,
  keyProblems: readonly string[] = [],
): ResolvedAuthOptions {
  const resolved = {
    ...DEFAULTS,
    // CONTRACT §5: a host under NODE_ENV=production is in production unless it says otherwise, so that forgetting
    // the option cannot leave the production refusals (weak settings, mail to files) off.
    production: process.env.NODE_ENV === 'production',
    ...withoutUndefined(options),
  } as ResolvedAuthOptions;
  const problems: string[] = [...keyProblems];
  const weakAllowed = resolved.allowWeakSettings;
  if (resolved.production && weakAllowed) {
    problems.push('allowWeakSettings is for development and tests: leave it out in production');
  }
  const hmacAccess = resolved.jwtAlgorithm === 'HS256';
  // An asymmetric algorithm signs access tokens with jwtPrivateKey: jwtSecret is not used, so not required.
  const secrets = hmacAccess
    ? (['jwtSecret', 'jwtRefreshSecret'] as const)
    : (['jwtRefreshSecret'] as const);
  for (const name of secrets) {
    const secret = resolved[name];
    if (typeof secret !== 'string' || secret.length === 0) problems.push(`${name} is required`);
    else if (secret.length < MIN_SECRET_LENGTH && !weakAllowed) {
      problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    }
  }
  if (hmacAccess && resolved.jwtSecret === resolved.jwtRefreshSecret)
    problems.push('jwtSecret and jwtRefreshSecret must differ');
  problems.push(...checkAccessKeys(resolved));
  for (const name of ['jwtExpiration', 'jwtRefreshExpiration', 'sessionMaxAge'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1)
      problems.push(`${name} must be a positive whole number of seconds`);
  }
  if (!Number.isInteger(resolved.refreshReuseGrace) || resolved.refreshReuseGrace < 0) {
    problems.push('refreshReuseGrace must be a whole number of seconds, 0 or more');
  }
  if (
    !Number.isInteger(resolved.sessionsPerUser) ||
    resolved.sessionsPerUser < 1 ||
    resolved.sessionsPerUser > MAX_SESSIONS_PER_USER
  ) {
    problems.push(`sessionsPerUser must be a whole number from 1 to ${MAX_SESSIONS_PER_USER}`);
  }
  if (
    !Number.isInteger(resolved.pruneInterval) ||
    resolved.pruneInterval < 0 ||
    resolved.pruneInterval > MAX_PRUNE_INTERVAL
  ) {
    problems.push(
      `pruneInterval must be a whole number of seconds from 0 to ${MAX_PRUNE_INTERVAL}`,
    );
  }
  const minRounds = weakAllowed ? 4 : 10;
  if (
    !Number.isInteger(resolved.bcryptRounds) ||
    resolved.bcryptRounds < minRounds ||
    resolved.bcryptRounds > 31
  ) {
    problems.push(`bcryptRounds must be a whole number from ${minRounds} to 31`);
  }
  if (!['body', 'cookie', 'both'].includes(resolved.refreshTransport)) {
    problems.push('refreshTransport must be body, cookie or both');
  }
  if (problems.length > 0) throw new Error(`Invalid AuthModule options: ${problems.join('; ')}`);
  return resolved;
}

/**
 * What is wrong with the algorithm and keys of access tokens (parse, key type, pair), one line each. When nothing
 * is, the PEMs in `options` are replaced by their KeyObjects: each PEM is parsed here, once, and the token service
 * (signing, JWKS) is handed the keys.
 */
function checkAccessKeys(options: ResolvedAuthOptions): string[] {
  const algorithm = options.jwtAlgorithm;
  const dropped = droppedAlgorithmProblem('jwtAlgorithm', algorithm);
  if (dropped !== undefined) return [dropped];
  if (!JWT_ALGORITHMS.includes(algorithm)) {
    return [`jwtAlgorithm must be one of ${JWT_ALGORITHMS.join(', ')}`];
  }
  if (isAsymmetric(algorithm)) {
    const pems = {
      algorithm,
      privateKey: options.jwtPrivateKey,
      publicKey: options.jwtPublicKey,
      previousPublicKeys: options.jwtPreviousPublicKeys,
    };
    const { keys, problems } = loadAccessKeys(pems, KEY_OPTION_NAMES);
    if (keys !== undefined) {
      options.jwtPrivateKey = keys.privateKey;
      options.jwtPublicKey = keys.publicKey;
      options.jwtPreviousPublicKeys = keys.previousPublicKeys;
    }
    return problems;
  }
  // Keys next to HS256 would be silently unused: most likely jwtAlgorithm was forgotten.
  return Object.values(KEY_OPTION_NAMES)
    .filter((name) => options[name] !== undefined)
    .map((name) => `${name} is only used with jwtAlgorithm ES256 or RS256`);
}
