// Redis keys of a benchmark run: every instance it starts shares one key prefix, deleted at the end.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Deletes every key under `prefix` on `url`; a failure is reported on stderr, not thrown (a clean-up step). */
export async function deleteRedisKeys(url, prefix) {
  const Redis = require('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch (error) {
    process.stderr.write(`could not delete the Redis keys under ${prefix}: ${error.message}\n`);
  } finally {
    redis.disconnect();
  }
}
