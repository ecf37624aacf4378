/* Kept apart from AuthRedis so that injecting it loads no ioredis. */
export const AUTH_REDIS = Symbol('AuthRedis');
