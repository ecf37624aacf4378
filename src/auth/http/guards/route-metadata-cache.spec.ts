import type { ExecutionContext } from '@nestjs/common';
import { RouteMetadataCache } from './route-metadata-cache';

function contextOf(handler: unknown, type: unknown): ExecutionContext {
  return { getHandler: () => handler, getClass: () => type } as unknown as ExecutionContext;
}

describe('RouteMetadataCache', () => {
  it('reads a route once per handler and class, and apart for another class mounting the same handler', () => {
    const reads: string[] = [];
    const cache = new RouteMetadataCache((context) => {
      const name = (context.getClass() as { name: string }).name;
      reads.push(name);
      return `rules of ${name}`;
    });
    const handler = function handler() {};
    class First {}
    class Second {}

    expect(cache.of(contextOf(handler, First))).toBe('rules of First');
    expect(cache.of(contextOf(handler, First))).toBe('rules of First');
    expect(cache.of(contextOf(handler, Second))).toBe('rules of Second');
    expect(reads).toEqual(['First', 'Second']);
  });

  it('keeps an undefined answer too, and reads every time a context has no handler', () => {
    let reads = 0;
    const cache = new RouteMetadataCache(() => (reads += 1) && undefined);
    class Type {}
    const handler = () => undefined;

    cache.of(contextOf(handler, Type));
    cache.of(contextOf(handler, Type));
    cache.of(contextOf(undefined, Type));
    cache.of(contextOf(undefined, Type));
    expect(reads).toBe(3);
  });
});
