import type { AuthFeature } from '../../core/auth-feature';
import { CLIENT_RATE_LIMITER } from '../../http/guards/client-rate-limit.guard';
import { ClientThrottleGuard } from './client-throttle.guard';
import {
  resolveThrottlingOptions,
  THROTTLING_OPTIONS,
  type ThrottlingOptions,
} from './throttling.options';

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
    parts: () => ({
      providers: [
        { provide: THROTTLING_OPTIONS, useValue: resolved },
        ClientThrottleGuard,
        { provide: CLIENT_RATE_LIMITER, useExisting: ClientThrottleGuard },
      ],
    }),
  };
}
