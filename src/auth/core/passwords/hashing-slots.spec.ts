import { HashingSlots } from './hashing-slots';

describe('HashingSlots', () => {
  it('runs at most `size` works at once, the rest in arrival order, each with its own result', async () => {
    const slots = new HashingSlots(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const results = Array.from({ length: 5 }, (_, k) =>
      slots.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(k);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return k * 10;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1]);
    expect(slots.queued).toBe(3);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('gives the slot back when a work fails', async () => {
    const slots = new HashingSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(slots.queued).toBe(0);
  });
});
