import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { type AppConfig, SERVER_FEATURE_NAMES, type ServerFeatureName } from './app-config';
import { ConfigError } from './config-error';
import { type Env, EnvReader } from './env-readers';
import { readSecrets } from './secrets';
import { readSigningKeys } from './signing-keys';
import {
  DEFAULT_DATABASE_TIMEOUT_SECONDS,
  SQLITE_SYNCHRONOUS_MODES,
} from '../database/database.options';
import { passwordPolicyViolation } from '../auth/settings';
import { relyingPartyProblems } from '../auth/features/passkeys';

const DAY = 86_400;

/**
 * Reads the environment: `process.env` over a `.env` file in the working directory (real variables win).
 * Throws a {@link ConfigError} that lists every bad variable; returns warnings to print for the others.
 */
export function loadConfig(env: Env = withDotEnv(process.env)): {
  config: AppConfig;
  warnings: string[];
} {
  const read = new EnvReader(env);
  const warnings: string[] = [];
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';

  const signingKeys = readSigningKeys(read, warnings);
  const { secret, refreshSecret } = readSecrets(
    read,
    production,
    warnings,
    signingKeys.algorithm === 'HS256',
  );
  const bcryptRounds = read.integer('BCRYPT_ROUNDS', 12, 4, 31);
  if (production && bcryptRounds < 10)
    read.fail(`BCRYPT_ROUNDS must be at least 10 in production (got ${bcryptRounds})`);

  const port = read.integer('PORT', 3000, 0, 65_535);
  const tls = readTls(read);
  const features = readFeatures(read);
  const mail = readMail(read, production, localAppUrl(port, tls !== undefined));
  const config: AppConfig = {
    nodeEnv,
    port,
    host: read.string('HOST', production ? '0.0.0.0' : '127.0.0.1'),
    httpAdapter: read.oneOf('HTTP_ADAPTER', ['express', 'fastify'], 'express'),
    databaseUrl: readDatabaseUrl(read),
    databaseTimeout: read.integer('DATABASE_TIMEOUT', DEFAULT_DATABASE_TIMEOUT_SECONDS, 1, 60),
    sqliteSynchronous: read.oneOf('SQLITE_SYNCHRONOUS', SQLITE_SYNCHRONOUS_MODES, 'full'),
    redisUrl: readRedisUrl(read),
    redisKeyPrefix: read.string('REDIS_KEY_PREFIX', 'nest-auth:'),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    jwt: {
      ...signingKeys,
      secret,
      expiration: read.integer('JWT_EXPIRATION', 900, 1, 7 * DAY),
      refreshSecret,
      refreshExpiration: read.integer('JWT_REFRESH_EXPIRATION', 7 * DAY, 1, 365 * DAY),
      issuer: read.string('JWT_ISSUER', 'nest-auth'),
      audience: read.string('JWT_AUDIENCE', 'nest-auth'),
    },
    sessionMaxAge: read.integer('SESSION_MAX_AGE', 30 * DAY, 1, 10 * 365 * DAY),
    refreshReuseGrace: read.integer('REFRESH_REUSE_GRACE', 10, 0, 300),
    sessionsPerUser: read.integer('SESSIONS_PER_USER', 100, 1, 10_000),
    // 0 turns pruning off; at most 24 days, about the longest interval a Node timer takes.
    pruneInterval: read.integer('PRUNE_INTERVAL', 3600, 0, 24 * DAY),
    bcryptRounds,
    refreshTransport: read.oneOf('AUTH_REFRESH_TRANSPORT', ['body', 'cookie', 'both'], 'body'),
    cookieSecure: read.boolean('COOKIE_SECURE', production),
    throttle: {
      // 0 turns the limit off (benchmarks, tests).
      authLimit: read.integer('THROTTLE_AUTH_LIMIT', 10, 0),
      authTtl: read.integer('THROTTLE_AUTH_TTL', 60, 1),
    },
    connections: readConnections(read),
    corsOrigins: readOrigins(read),
    tls,
    trustProxy: readTrustProxy(read),
    admin: readAdmin(read),
    features,
    mail,
    mfa: readMfa(read, production),
    passkeys: readPasskeys(read, mail.appUrl, features),
  };
  if (production) warnings.push(...productionWarnings(config));
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { config, warnings };
}

/**
 * What production accepts but a reader of the log should know, said once at boot. An explicit COOKIE_SECURE=false
 * with the cookie transport may be wanted behind a TLS-terminating proxy that speaks plain HTTP to this server, so
 * it is not refused; anywhere else it lets a network attacker read the refresh cookie.
 */
function productionWarnings(config: AppConfig): string[] {
  if (config.refreshTransport === 'body' || config.cookieSecure) return [];
  return [
    `COOKIE_SECURE=false in production with AUTH_REFRESH_TRANSPORT=${config.refreshTransport}: browsers will ` +
      'also send the refresh cookie over plain HTTP, where anyone on the network can read it. Remove COOKIE_SECURE ' +
      'unless clients reach this server only through a TLS-terminating proxy that needs it.',
  ];
}

function withDotEnv(env: NodeJS.ProcessEnv): Env {
  const file = resolve(process.cwd(), '.env');
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

function readDatabaseUrl(read: EnvReader): string {
  const url = read.string('DATABASE_URL', 'sqlite:data/auth.sqlite');
  if (!/^sqlite:.+/.test(url) && !/^postgres(ql)?:\/\/.+/.test(url)) {
    read.fail(
      `DATABASE_URL must be sqlite:<file>, sqlite::memory: or postgres://user:pass@host:port/db (got "${url}")`,
    );
  }
  return url;
}

function readRedisUrl(read: EnvReader): string | undefined {
  const url = read.raw('REDIS_URL');
  if (url !== undefined && !/^rediss?:\/\/.+/.test(url)) {
    read.fail(`REDIS_URL must be redis://host:port or rediss://host:port (got "${url}")`);
  }
  return url;
}

function readOrigins(read: EnvReader): string[] {
  const origins = read.list('CORS_ORIGINS');
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      read.fail(
        `CORS_ORIGINS must list origins such as https://app.example.com, with no path (got "${origin}")`,
      );
    }
  }
  return origins;
}

function readTls(read: EnvReader): AppConfig['tls'] {
  const certFile = read.raw('TLS_CERT_FILE');
  const keyFile = read.raw('TLS_KEY_FILE');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    read.fail('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    return undefined;
  }
  for (const [name, file] of [
    ['TLS_CERT_FILE', certFile],
    ['TLS_KEY_FILE', keyFile],
  ]) {
    if (!existsSync(file)) read.fail(`${name} names a file that does not exist: ${file}`);
  }
  return { certFile, keyFile };
}

function readTrustProxy(read: EnvReader): AppConfig['trustProxy'] {
  const value = read.raw('TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const items = value.split(',').map((item) => item.trim());
  if (items.every(isTrustedSubnet)) return value;
  read.fail(
    `TRUST_PROXY must be true, false, a hop count or a list of trusted subnets (got "${value}")`,
  );
  return false;
}

/** What Express's `trust proxy` accepts in a list: an address, an address/prefix, or a named range. */
function isTrustedSubnet(item: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
  const [address, prefix, ...rest] = item.split('/');
  return (
    rest.length === 0 && isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix))
  );
}

/**
 * `AUTH_FEATURES`: a comma-separated list of the module's features to register (default: all of them), or `none`
 * for sessions alone: what a host's `features` list is, for trying the module as such a host would run it.
 */
function readFeatures(read: EnvReader): ServerFeatureName[] {
  const names = read.list('AUTH_FEATURES');
  if (names.length === 0) return [...SERVER_FEATURE_NAMES];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter(
    (name) => !(SERVER_FEATURE_NAMES as readonly string[]).includes(name),
  );
  if (unknown.length > 0) {
    read.fail(
      `AUTH_FEATURES must be none or a comma-separated list of ${SERVER_FEATURE_NAMES.join(', ')} (got "${unknown.join(',')}")`,
    );
  }
  return [...new Set(names)] as ServerFeatureName[];
}

/** APP_URL's default: this server on this machine, at its PORT (3000 when PORT=0 picks a free one). */
function localAppUrl(port: number, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://localhost:${port === 0 ? 3000 : port}`;
}

function readMail(read: EnvReader, production: boolean, defaultAppUrl: string): AppConfig['mail'] {
  const appUrl = read.string('APP_URL', defaultAppUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(appUrl)) {
    read.fail(`APP_URL must be an http(s) URL such as https://app.example.com (got "${appUrl}")`);
  }
  const smtpUrl = read.raw('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
    // The value is not echoed: it may hold the SMTP password.
    read.fail('SMTP_URL must be smtp://user:pass@host:port or smtps://user:pass@host:port');
  }
  if (smtpUrl === undefined && production) {
    read.fail('SMTP_URL is required in production: without it mail is only written to files');
  }
  return {
    appUrl,
    smtpUrl,
    from: read.string('MAIL_FROM', 'nest-auth <no-reply@localhost>'),
    outboxDir: read.string('MAIL_OUTBOX_DIR', 'data/outbox'),
    verification: read.oneOf('EMAIL_VERIFICATION', ['off', 'optional', 'required'], 'optional'),
    emailTokenTtl: read.integer('EMAIL_TOKEN_TTL', DAY, 60, 30 * DAY),
    passwordResetTtl: read.integer('PASSWORD_RESET_TTL', 1800, 60, 7 * DAY),
    pollInterval: read.integer('MAIL_POLL_INTERVAL', 2000, 0, 3_600_000),
    maxRetryDelay: read.integer('MAIL_RETRY_MAX_DELAY', 300_000, 1, 86_400_000),
  };
}

function readMfa(read: EnvReader, production: boolean): AppConfig['mfa'] {
  const mode = read.oneOf('MFA', ['off', 'optional', 'required'], 'optional');
  const encryptionKey = read.exact('MFA_ENCRYPTION_KEY');
  if (encryptionKey !== undefined && encryptionKey.length < 32) {
    // The value is not echoed: it is a secret.
    read.fail('MFA_ENCRYPTION_KEY must be at least 32 characters');
  }
  if (encryptionKey === undefined && production && mode !== 'off') {
    read.fail(
      'MFA_ENCRYPTION_KEY is required in production when MFA is not off: it seals TOTP secrets at rest',
    );
  }
  const requiredRoles =
    read.raw('MFA_REQUIRED_ROLES') === undefined && production
      ? ['admin']
      : read.list('MFA_REQUIRED_ROLES');
  return {
    mode,
    requiredRoles,
    rememberDevice: read.integer('MFA_REMEMBER_DEVICE', 30 * DAY, 0, 365 * DAY),
    stepUpMaxAge: read.integer('STEP_UP_MAX_AGE', 300, 1, DAY),
    encryptionKey,
  };
}

/**
 * The relying party of passkeys: by default this server's own (`APP_URL`'s host and origin). An RP ID that is not a
 * registrable suffix of every origin's host stops the start (checked only when the passkeys feature is on).
 */
function readPasskeys(
  read: EnvReader,
  appUrl: string,
  features: readonly ServerFeatureName[],
): AppConfig['passkeys'] {
  let appOrigin: URL | undefined;
  try {
    appOrigin = new URL(appUrl);
  } catch {
    appOrigin = undefined;
  }
  const origins = read.list('WEBAUTHN_ORIGINS');
  const passkeys = {
    rpId: read.string('WEBAUTHN_RP_ID', appOrigin?.hostname ?? 'localhost'),
    rpName: read.string('WEBAUTHN_RP_NAME', 'nest-auth'),
    origins: origins.length > 0 ? origins : appOrigin ? [appOrigin.origin] : [],
  };
  if (features.includes('passkeys')) {
    const names = { rpId: 'WEBAUTHN_RP_ID', origins: 'WEBAUTHN_ORIGINS' };
    for (const problem of relyingPartyProblems(passkeys.rpId, passkeys.origins, names)) {
      read.fail(problem);
    }
  }
  return passkeys;
}

/** The budgets of connections; the headers' timeout cannot exceed the request's (Node refuses it). */
function readConnections(read: EnvReader): AppConfig['connections'] {
  const requestTimeoutMs = read.integer('HTTP_REQUEST_TIMEOUT', 30_000, 100, 3_600_000);
  const headersTimeoutMs = read.integer('HTTP_HEADERS_TIMEOUT', 10_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    read.fail('HTTP_HEADERS_TIMEOUT must not exceed HTTP_REQUEST_TIMEOUT');
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    messageBudget: {
      burst: read.integer('SOCKET_MESSAGE_BURST', 100, 1, 1_000_000),
      perSecond: read.integer('SOCKET_MESSAGE_RATE', 50, 1, 1_000_000),
    },
  };
}

function readAdmin(read: EnvReader): AppConfig['admin'] {
  const email = read.raw('ADMIN_EMAIL');
  const password = read.exact('ADMIN_PASSWORD');
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined) {
    read.fail('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
    return undefined;
  }
  // Checked in every environment: the admin account is made with it, and the policy holds for every account.
  const violation = passwordPolicyViolation(password);
  if (violation !== undefined) read.fail(`ADMIN_PASSWORD ${violation}`);
  return { email, password };
}
