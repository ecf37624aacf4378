import { InputDepthPipe, MAX_INPUT_DEPTH, nestsDeeperThan } from './nesting-depth';

function deep(levels: number, make: (inner: unknown) => unknown): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = make(value);
  return value;
}

describe('nestsDeeperThan', () => {
  it('counts each object or array as one level, scalars as none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: { c: { d: [] } } }, 3)).toBe(true);
  });

  it('walks a million levels without overflowing the stack', () => {
    const value = deep(1_000_000, (inner) => [inner]);
    expect(nestsDeeperThan(value, MAX_INPUT_DEPTH)).toBe(true);
  });
});

describe('InputDepthPipe', () => {
  const pipe = new InputDepthPipe();

  it('refuses a body or query deeper than 32 levels with 400, saying which', () => {
    const tooDeep = deep(MAX_INPUT_DEPTH + 1, (inner) => ({ a: inner }));
    expect(() => pipe.transform(tooDeep, { type: 'body' })).toThrow(
      'Request body is nested more than 32 levels deep',
    );
    expect(() => pipe.transform(tooDeep, { type: 'body' })).toThrow(
      expect.objectContaining({
        response: {
          statusCode: 400,
          message: 'Request body is nested more than 32 levels deep',
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
        },
      }),
    );
    expect(() => pipe.transform(tooDeep, { type: 'query' })).toThrow(
      'Query string is nested more than 32 levels deep',
    );
  });

  it('passes 32 levels, and leaves route parameters and custom ones alone', () => {
    const deepest = deep(MAX_INPUT_DEPTH, (inner) => [inner]);
    expect(pipe.transform(deepest, { type: 'body' })).toBe(deepest);
    const tooDeep = deep(MAX_INPUT_DEPTH + 1, (inner) => [inner]);
    expect(pipe.transform(tooDeep, { type: 'param' })).toBe(tooDeep);
    expect(pipe.transform(tooDeep, { type: 'custom' })).toBe(tooDeep);
  });
});
