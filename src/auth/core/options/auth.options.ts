import type { ThrottlerStorage } from '@nestjs/throttler';
import type { KeyObject } from 'node:crypto';
import type { RevocationList } from '../model/revocation-list.port';
import type { SessionStore } from '../model/session-store.port';
import type { JwtAlgorithm } from '../tokens/jwt-algorithm';
import type { UserStore } from '../model/user-store.port';

/** Where the refresh token travels: in the JSON body, only in an HttpOnly cookie, or both. */
export type RefreshTransport = 'body' | 'cookie' | 'both';

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
   * rotation (docs/sessions.md: "Key rotation, step by step").
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
   * The host runs in production. In production, `allowWeakSettings` is refused and `accountMail()` with neither
   * `smtpUrl` nor `mailer` stops the boot instead of writing mail to `.eml` files (unless it says
   * `allowFileMailInProduction: true`). Default: `process.env.NODE_ENV === 'production'` when the module starts, the
   * one environment variable the module reads; state it to decide otherwise.
   */
  production?: boolean;
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
