type TypeOrmSide = typeof import('./adapters/typeorm/typeorm-store-parts');
type RedisSide = typeof import('./adapters/redis/redis-parts');
import { loadOptional } from './core/optional-package';

/*
 * The adapters whose libraries are optional peers, loaded on first use and only when the registration asks for them
 * (a built-in TypeORM store, a `redisUrl`): a host that brings its own stores and no Redis installs neither
 * TypeORM nor ioredis, and one that forgot to install them gets one line saying what to install. `require`, not
 * `import`, on purpose: an import would load the library with the package's entry.
 */

/** The built-in TypeORM stores' parts. @throws Error naming the packages to install when TypeORM is missing. */
export function typeormStores(): TypeOrmSide['typeormStoreParts'] {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => (require('./adapters/typeorm/typeorm-store-parts') as TypeOrmSide).typeormStoreParts,
    ['typeorm', '@nestjs/typeorm'],
    'the built-in TypeORM stores',
    'give userStore and sessionStore of your own, with typeorm: false',
  );
}

/** The Redis parts (`redisUrl`). @throws Error naming ioredis when it is missing. */
export function redisParts(): RedisSide['redisParts'] {
  return loadOptional(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => (require('./adapters/redis/redis-parts') as RedisSide).redisParts,
    ['ioredis'],
    'redisUrl',
    'leave redisUrl out to keep revocations and counters in process',
  );
}
