import type { AuthModuleExtras } from './auth.module-extras';
import type { AuthModuleOptions } from './core/options/auth.options';

/** Every key of {@link AuthModuleOptions}; `satisfies` keeps the list complete when an option is added. */
const OPTION_KEYS = {
  jwtSecret: true,
  jwtRefreshSecret: true,
  jwtAlgorithm: true,
  jwtPrivateKey: true,
  jwtPublicKey: true,
  jwtPreviousPublicKeys: true,
  jwtExpiration: true,
  jwtRefreshExpiration: true,
  sessionMaxAge: true,
  refreshReuseGrace: true,
  sessionsPerUser: true,
  pruneInterval: true,
  jwtIssuer: true,
  jwtAudience: true,
  bcryptRounds: true,
  allowWeakSettings: true,
  production: true,
  refreshTransport: true,
  cookieSecure: true,
  trustedOrigins: true,
  throttlerStorage: true,
  redisUrl: true,
  redisKeyPrefix: true,
  userStore: true,
  sessionStore: true,
  revocationList: true,
} satisfies Record<keyof AuthModuleOptions, true>;

/** Every key of {@link AuthModuleExtras}. */
const EXTRA_KEYS = {
  isGlobal: true,
  routePrefix: true,
  routes: true,
  globalGuard: true,
  typeorm: true,
  features: true,
  openApiTag: true,
  hooks: true,
  registrationProfile: true,
} satisfies Record<keyof AuthModuleExtras, true>;

/** What `forRootAsync` takes beside the extras (Nest's `ConfigurableModuleAsyncOptions`). */
const ASYNC_KEYS = new Set([
  'useFactory',
  'useClass',
  'useExisting',
  'inject',
  'imports',
  'provideInjectionTokensFrom',
]);

/**
 * Options of 0.1 that moved into a feature: a host upgrading is told where each went, not that it is unknown
 * (docs/migrating.md: Migrating from 0.1).
 */
const MOVED_TO_FEATURES: Readonly<Record<string, string>> = {
  throttle:
    'throttling({ limit, ttl }) in the features extra (leave it out for no per-client limit)',
  ...Object.fromEntries(
    [
      'appUrl',
      'mailFrom',
      'emailVerification',
      'emailTokenTtl',
      'passwordResetTtl',
      'smtpUrl',
      'mailOutboxDir',
      'mailer',
      'mailTemplates',
      'mailStore',
      'mailWorker',
    ].map((key) => [key, `accountMail({ ${key} }) in the features extra`]),
  ),
};

const isOption = (key: string): boolean => Object.hasOwn(OPTION_KEYS, key);
const isExtra = (key: string): boolean => Object.hasOwn(EXTRA_KEYS, key);

/**
 * What is wrong with the keys of the module options (what `forRoot` is given, less the extras, or what
 * `forRootAsync`'s factory returns): an extra there would be silently ignored, an unknown key is most likely a typo.
 * One line per key.
 */
export function optionKeyProblems(options: object): string[] {
  return Object.keys(options).flatMap((key) => {
    if (isOption(key)) return [];
    if (isExtra(key)) {
      return [
        `${key} is an extra of AuthModule.forRootAsync: give it beside useFactory, not in what useFactory returns`,
      ];
    }
    if (Object.hasOwn(MOVED_TO_FEATURES, key)) {
      return [`${key} is no longer an option of AuthModule: it moved to ${MOVED_TO_FEATURES[key]}`];
    }
    return [`${key} is not an option of AuthModule${suggestion(key, Object.keys(OPTION_KEYS))}`];
  });
}

/** The same, for what `forRootAsync` itself is given: the async keys and the extras. */
export function asyncOptionKeyProblems(options: object): string[] {
  return Object.keys(options).flatMap((key) => {
    if (ASYNC_KEYS.has(key) || isExtra(key)) return [];
    if (isOption(key)) {
      return [
        `${key} is an option of AuthModule: return it from useFactory, not beside it in AuthModule.forRootAsync`,
      ];
    }
    const known = [...ASYNC_KEYS, ...Object.keys(EXTRA_KEYS)];
    return [`${key} is not an option of AuthModule.forRootAsync${suggestion(key, known)}`];
  });
}

/** " (did you mean X?)" for the known key sharing the longest start with `key`, when that start is long enough. */
function suggestion(key: string, known: string[]): string {
  let best = '';
  let bestLength = 0;
  for (const candidate of known) {
    const length = commonPrefixLength(key.toLowerCase(), candidate.toLowerCase());
    if (length > bestLength) [best, bestLength] = [candidate, length];
  }
  return bestLength >= 4 ? ` (did you mean ${best}?)` : '';
}

function commonPrefixLength(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
  return index;
}
