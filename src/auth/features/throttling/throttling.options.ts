import { isPositiveInteger } from '../../core/options/option-checks';

/** Options of {@link throttling}: the per-client limit. */
export interface ThrottlingOptions {
  /** Requests allowed per client IP per route within `ttl`. Default 10. */
  limit?: number;
  /** The window, seconds. Default 60. */
  ttl?: number;
}

/** The resolved {@link ThrottlingOptions} (an injection token). */
export const THROTTLING_OPTIONS = Symbol('ThrottlingOptions');

/**
 * `options` with their defaults.
 * @throws Error at registration, in one line, when `limit` or `ttl` is not a positive whole number.
 */
export function resolveThrottlingOptions(
  options: ThrottlingOptions = {},
): Required<ThrottlingOptions> {
  const { limit = 10, ttl = 60 } = options;
  if (!isPositiveInteger(limit) || !isPositiveInteger(ttl)) {
    throw new Error(
      'Invalid throttling options: limit and ttl must be positive whole numbers (leave the feature out for no limit)',
    );
  }
  return { limit, ttl };
}
