/**
 * `nest-session-auth/redis`: the health indicator of the module's Redis (`redisUrl`), for a host's `/health`.
 * Injecting it loads no ioredis; the connection is made only when `redisUrl` is set.
 */
export { AuthRedisHealth } from './auth-redis-health';
