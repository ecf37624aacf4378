import { LaterBatch } from './later-batch';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LaterBatch', () => {
  it('works nothing through during the push, then the whole batch after the delay, in order', async () => {
    const done: string[] = [];
    const batch = new LaterBatch<string>(
      (item) => Promise.resolve(void done.push(item)),
      () => undefined,
      20,
    );

    batch.push('a');
    batch.push('b');
    await Promise.resolve();
    expect(done).toEqual([]);

    await tick(60);
    expect(done).toEqual(['a', 'b']);
    batch.stop();
  });

  it('goes on past a failed item, telling of it, and tells how many it dropped when full', async () => {
    const done: number[] = [];
    const problems: string[] = [];
    const batch = new LaterBatch<number>(
      (item) =>
        item === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(void done.push(item)),
      (problem) => problems.push(problem),
      20,
      2,
    );

    for (const item of [1, 2, 3, 4]) batch.push(item);
    await tick(60);

    expect(done).toEqual([2]);
    expect(problems).toEqual(['2 items dropped: the batch was full', 'boom']);
    batch.stop();
  });

  it('drops what is pending when stopped', async () => {
    const done: string[] = [];
    const batch = new LaterBatch<string>(
      (item) => Promise.resolve(void done.push(item)),
      () => undefined,
      20,
    );

    batch.push('a');
    batch.stop();
    await tick(60);

    expect(done).toEqual([]);
  });
});
