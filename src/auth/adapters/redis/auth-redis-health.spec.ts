import type { AuthRedis } from './auth-redis';
import { AuthRedisHealth } from './auth-redis-health';

describe('AuthRedisHealth', () => {
  it('without redisUrl: not configured, and a ping answers false without throwing', async () => {
    const health = new AuthRedisHealth(null);

    expect(health.configured).toBe(false);
    await expect(health.ping()).resolves.toBe(false);
  });

  it('with Redis: configured, and a ping says whether it answered within the time given', async () => {
    const pings: number[] = [];
    let answers = true;
    const redis = {
      ping: (timeoutMs: number) => {
        pings.push(timeoutMs);
        return Promise.resolve(answers);
      },
    } as unknown as AuthRedis;
    const health = new AuthRedisHealth(redis);

    expect(health.configured).toBe(true);
    await expect(health.ping(250)).resolves.toBe(true);
    answers = false;
    await expect(health.ping()).resolves.toBe(false);
    expect(pings).toEqual([250, 1000]);
  });
});
