/**
 * The counters of the module's rate limits (@nestjs/throttler's `ThrottlerStorage`): in process on the module's clock,
 * in Redis with `redisUrl`, or the host's `throttlerStorage`. The per-client limit of the throttling feature and the
 * per-address mail quota of account mail count there, apart from any ThrottlerModule of the host.
 */
export const AUTH_THROTTLER_STORAGE = Symbol('AuthThrottlerStorage');
