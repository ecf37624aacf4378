import type { SqliteSynchronous } from '../database/database.options';
import type { AccessKeys, JwtAlgorithm } from '../auth/settings';

/** The reference server's configuration, parsed and validated from the environment (see docs/configuration.md: Configuration). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  httpAdapter: 'express' | 'fastify';
  databaseUrl: string;
  /** `DATABASE_TIMEOUT`: seconds PostgreSQL may take to connect or answer before a request gets 503. */
  databaseTimeout: number;
  /** `SQLITE_SYNCHRONOUS`: `full` syncs every commit to disk; `normal` only at checkpoints. */
  sqliteSynchronous: SqliteSynchronous;
  redisUrl?: string;
  redisKeyPrefix: string;
  logLevel: string;
  jwt: {
    /** `JWT_ALGORITHM`, of access tokens; refresh tokens are always HS256. */
    algorithm: JwtAlgorithm;
    /** `JWT_SECRET`; empty, and unused, with an asymmetric algorithm. */
    secret: string;
    /** `JWT_PRIVATE_KEY`, `JWT_PUBLIC_KEY`, `JWT_PREVIOUS_PUBLIC_KEYS` (PEM), with an asymmetric algorithm only. */
    privateKey?: string;
    publicKey?: string;
    previousPublicKeys?: string;
    /** The keys of those PEMs, parsed once at boot by the module's `loadAccessKeys`: what the module is given. */
    keys?: AccessKeys;
    expiration: number;
    refreshSecret: string;
    refreshExpiration: number;
    issuer: string;
    audience: string;
  };
  sessionMaxAge: number;
  refreshReuseGrace: number;
  sessionsPerUser: number;
  /** `PRUNE_INTERVAL`: seconds between two prunings of dead sessions; 0 turns pruning off. */
  pruneInterval: number;
  bcryptRounds: number;
  refreshTransport: 'body' | 'cookie' | 'both';
  cookieSecure: boolean;
  throttle: { authLimit: number; authTtl: number };
  /** Budgets of a connection (docs/security.md, "Budgets for long-lived connections"). */
  connections: {
    /** `HTTP_HEADERS_TIMEOUT`, ms: how long a client may take to send a request's headers. */
    headersTimeoutMs: number;
    /** `HTTP_REQUEST_TIMEOUT`, ms: how long it may take to send the whole request, body included. */
    requestTimeoutMs: number;
    /** `SOCKET_MESSAGE_BURST` and `SOCKET_MESSAGE_RATE` (per second): each socket's or GraphQL WebSocket's budget. */
    messageBudget: { burst: number; perSecond: number };
  };
  corsOrigins: string[];
  tls?: { certFile: string; keyFile: string };
  /** What Express's `trust proxy` setting receives: false, true, a hop count or a subnet list. */
  trustProxy: boolean | number | string;
  admin?: { email: string; password: string };
  /** `AUTH_FEATURES`: which of the module's features the server registers (docs/configuration.md: Configuration). */
  features: ServerFeatureName[];
  /** The account lifecycle by mail (docs/mail.md: Account lifecycle and mail). */
  mail: {
    /** `APP_URL`: base of the links sent by mail. */
    appUrl: string;
    /** `SMTP_URL`; unset: `.eml` files in `outboxDir` (refused in production). */
    smtpUrl?: string;
    /** `MAIL_FROM`. */
    from: string;
    /** `MAIL_OUTBOX_DIR`: where mail goes without `SMTP_URL`. */
    outboxDir: string;
    /** `EMAIL_VERIFICATION`. */
    verification: 'off' | 'optional' | 'required';
    /** `EMAIL_TOKEN_TTL` and `PASSWORD_RESET_TTL`, seconds. */
    emailTokenTtl: number;
    passwordResetTtl: number;
    /** `MAIL_POLL_INTERVAL` and `MAIL_RETRY_MAX_DELAY`, milliseconds. */
    pollInterval: number;
    maxRetryDelay: number;
  };
  /** The second factor and step-up (docs/configuration.md: Configuration; docs/mfa.md). */
  mfa: {
    /** `MFA`. */
    mode: 'off' | 'optional' | 'required';
    /** `MFA_REQUIRED_ROLES`: roles reached only with an `aal2` session. */
    requiredRoles: string[];
    /** `MFA_REMEMBER_DEVICE`, seconds; 0: never. */
    rememberDevice: number;
    /** `STEP_UP_MAX_AGE`, seconds. */
    stepUpMaxAge: number;
    /** `MFA_ENCRYPTION_KEY`; unset outside production: derived from the refresh secret. */
    encryptionKey?: string;
  };
  /** The WebAuthn relying party of passkeys (docs/passkeys.md). */
  passkeys: {
    /** `WEBAUTHN_RP_ID`: the host of `APP_URL` by default. */
    rpId: string;
    /** `WEBAUTHN_RP_NAME`. */
    rpName: string;
    /** `WEBAUTHN_ORIGINS`: the origin of `APP_URL` by default. */
    origins: string[];
  };
}

/** The module's features the reference server can register, by the names `AUTH_FEATURES` takes. */
export const SERVER_FEATURE_NAMES = [
  'throttling',
  'account-mail',
  'administration',
  'jwks',
  'realtime',
  'mfa',
  'passkeys',
] as const;
export type ServerFeatureName = (typeof SERVER_FEATURE_NAMES)[number];
