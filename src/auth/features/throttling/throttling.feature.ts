import type { AuthFeature } from '../../core/auth-feature';
import { resolveThrottlingOptions, type ThrottlingOptions } from './throttling.options';

/** The feature's Nest parts (and @nestjs/throttler), loaded only for a host that registers it (docs/performance.md). */
function featureParts(): typeof import('./throttling.parts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./throttling.parts') as typeof import('./throttling.parts');
}

/**
 * The per-client limit (CONTRACT §4.10, docs/operations.md: Abuse limits): `limit` requests per client IP per route per `ttl`
 * seconds on login, register, refresh, reauthentication, the second factor and the mail-link routes, then 429
 * `RATE_LIMITED` with `Retry-After`. Counters live in the module's rate-limit storage (in process, Redis with
 * `redisUrl`, or `throttlerStorage`), so several instances share them. Left out, no route is limited per client; the
 * per-account slowdown of failed logins is the core's and stays.
 * @throws Error at once when `limit` or `ttl` is not a positive whole number.
 * @example `features: [throttling({ limit: 10, ttl: 60 }), accountMail(), administration(), jwks()]`
 */
export function throttling(options: ThrottlingOptions = {}): AuthFeature {
  const resolved = resolveThrottlingOptions(options);
  return {
    id: 'throttling',
    parts: () => featureParts().throttlingParts(resolved),
  };
}
