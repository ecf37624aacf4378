import type { ThrottlerStorage } from '@nestjs/throttler';
import type { KeyObject } from 'node:crypto';
import { optionKeyProblems } from './auth.option-keys';
import type { RefreshTransport } from './cookies/refresh-cookie';
import type { RevocationList } from './revocation/revocation-list.port';
import type { SessionStore } from './sessions/session-store.port';
import { loadAccessKeys } from './tokens/access-keys';
import {
  droppedAlgorithmProblem,
  isAsymmetric,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
} from './tokens/jwt-algorithm';
import { MIN_SECRET_LENGTH } from './tokens/token-keys';
import type { UserStore } from './users/user-store.port';

/**
 * Options of `AuthModule.forRoot` / `forRootAsync`; lifetimes are in seconds. Only the keys are required:
 * `jwtRefreshSecret`, and `jwtSecret` (HS256, the default) or
 * `jwtPrivateKey` + `jwtPublicKey` (ES256, RS256).
 */
export interface AuthModuleOptions {
  /**
   * HMAC secret of access tokens, at least 32 characters. Required with HS256 (the default); not used with an
   * asymmetric `jwtAlgorithm`.
   */
  jwtSecret?: string;
  /**
   * HMAC secret of refresh tokens, at least 32 characters, different from `jwtSecret`. Refresh tokens stay HS256
   * whatever `jwtAlgorithm` is: only this server reads them.
   */
  jwtRefreshSecret: string;
  /**
   * Algorithm of access tokens. Default `HS256` (`jwtSecret`). `ES256` (EC P-256) or `RS256`
   * (RSA, 2048 bits or more) sign with `jwtPrivateKey`, put the public key's RFC 7638 thumbprint in `kid`, and
   * publish the public keys at `GET /.well-known/jwks.json`, so other services verify tokens without a shared secret.
   * `EdDSA` is refused at boot: the JWT library (jsonwebtoken, through @nestjs/jwt) has none.
   * @example `{ jwtAlgorithm: 'ES256', jwtPrivateKey: readFileSync('private.pem', 'utf8'), jwtPublicKey: ... }`
   */
  jwtAlgorithm?: JwtAlgorithm;
  /**
   * PEM private key (unencrypted PKCS #8, SEC 1 or PKCS #1) of an asymmetric `jwtAlgorithm`, of its key type.
   * Literal `\n` sequences count as line breaks. Or a `KeyObject` of type `private` (e.g. from `loadAccessKeys`),
   * which is checked but not parsed again.
   */
  jwtPrivateKey?: string | KeyObject;
  /** PEM public key (`PUBLIC KEY`) of `jwtPrivateKey`, or a `KeyObject` of type `public`: the two must be a pair. */
  jwtPublicKey?: string | KeyObject;
  /**
   * Public keys of earlier private keys, as PEM blocks concatenated (or an array of `KeyObject`s of type `public`):
   * access tokens they signed keep verifying, and they stay in the JWKS, while they are listed here. This is key
   * rotation (README, "Key rotation, step by step").
   */
  jwtPreviousPublicKeys?: string | readonly KeyObject[];
  /** Access-token lifetime. Default 900. */
  jwtExpiration?: number;
  /** Refresh-token lifetime: an idle session dies after this. Default 604800 (7 days). */
  jwtRefreshExpiration?: number;
  /** Absolute session lifetime: no refresh extends a session past it. Default 2592000 (30 days). */
  sessionMaxAge?: number;
  /**
   * Seconds during which a just-rotated refresh token may be presented again by the client that spent it (same
   * user agent, same IPv4 /24 or IPv6 /64), which then gets the same successor. Default 10.
   */
  refreshReuseGrace?: number;
  /**
   * Live sessions a user may hold. A login beyond it retires the least recently used sessions (revoked as by a
   * logout, reason `session_limit`). Default 100.
   */
  sessionsPerUser?: number;
  /**
   * Seconds between two prunings of dead sessions (revoked or expired long enough ago that no access token of theirs
   * is still valid) and their refresh tokens, in bounded batches. Default 3600; 0 turns the schedule off (a host may
   * then call `SessionPruner.pruneNow()` from its own scheduler). At most 2147483 (what a timer takes). Needs a
   * session store with `pruneExpired` (the TypeORM store has it).
   */
  pruneInterval?: number;
  /** `iss` claim put into and required on every token. Default `nest-auth`. */
  jwtIssuer?: string;
  /** `aud` claim put into and required on every token. Default `nest-auth`. */
  jwtAudience?: string;
  /** bcrypt cost. Default 12. */
  bcryptRounds?: number;
  /**
   * Allow secrets shorter than 32 characters and a bcrypt cost under 10: for development and tests only.
   * Default false.
   */
  allowWeakSettings?: boolean;
  /**
   * Where the refresh token travels: `body` (JSON, default), `cookie` (only in an HttpOnly cookie: the browser case)
   * or `both`.
   */
  refreshTransport?: RefreshTransport;
  /** The `Secure` attribute of the refresh cookie. Default true. */
  cookieSecure?: boolean;
  /**
   * Origins whose requests may present the refresh cookie without `X-Requested-With` (the CSRF rule of cookie
   * transport). Default none.
   */
  trustedOrigins?: string[];
  /**
   * Requests per client IP per route allowed on login, register and refresh, per `ttl` seconds; `false` turns the
   * limit off. Default `{ limit: 10, ttl: 60 }`.
   */
  throttle?: { limit: number; ttl: number } | false;
  /** Where the rate-limit counters live (@nestjs/throttler's port). Default: in process. */
  throttlerStorage?: ThrottlerStorage;
  /**
   * `redis://host:port`: share the revocation list, the rate-limit counters and the failed-login counters between
   * instances through Redis, so that several instances behave as one. Unset (default): in process.
   */
  redisUrl?: string;
  /** Prefix of the module's Redis keys and channels, for apps sharing one Redis. Default `nest-auth:`. */
  redisKeyPrefix?: string;
  /** Where users live. Default: the TypeORM `TypeOrmUserStore` (table `auth_users`). */
  userStore?: UserStore;
  /** Where sessions and refresh tokens live. Default: the TypeORM store (tables `auth_sessions`, `auth_refresh_tokens`). */
  sessionStore?: SessionStore;
  /** The revoked-session list the guard asks. Default: in process (one instance). */
  revocationList?: RevocationList;
}

type StoreOptions =
  'userStore' | 'sessionStore' | 'revocationList' | 'throttlerStorage' | 'redisUrl';

/** Keys that only one kind of algorithm uses: they stay optional once resolved. */
type KeyOptions = 'jwtSecret' | 'jwtPrivateKey' | 'jwtPublicKey' | 'jwtPreviousPublicKeys';

export type ResolvedAuthOptions = Required<Omit<AuthModuleOptions, StoreOptions | KeyOptions>> &
  Pick<AuthModuleOptions, StoreOptions | KeyOptions>;

/** The option of each access-token PEM, as problems with the keys name it. */
export const KEY_OPTION_NAMES = {
  privateKey: 'jwtPrivateKey',
  publicKey: 'jwtPublicKey',
  previousPublicKeys: 'jwtPreviousPublicKeys',
} as const;

export const AUTH_OPTIONS = Symbol('ResolvedAuthOptions');

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
  throttle: { limit: 10, ttl: 60 },
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
 * @throws Error `Invalid AuthModule options: <problem>; <problem>`
 */
export function resolveAuthOptions(options: AuthModuleOptions): ResolvedAuthOptions {
  const resolved = { ...DEFAULTS, ...withoutUndefined(options) } as ResolvedAuthOptions;
  const problems: string[] = optionKeyProblems(options);
  const weakAllowed = resolved.allowWeakSettings;
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
  const { throttle } = resolved;
  if (
    throttle !== false &&
    !(isPositiveInteger(throttle?.limit) && isPositiveInteger(throttle?.ttl))
  ) {
    problems.push('throttle must be false or { limit, ttl } with positive whole numbers');
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

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
