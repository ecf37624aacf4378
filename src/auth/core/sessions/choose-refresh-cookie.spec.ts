import { type ChainPosition, chooseRefreshCookie } from './choose-refresh-cookie';

/** Tokens by name: two chains, `a` and `b`, whose tokens share one `iat` second where it matters. */
const TOKENS: Record<string, ChainPosition> = {
  old: { sid: 'a', gen: 0, iat: 100 },
  current: { sid: 'a', gen: 1, iat: 160 },
  other: { sid: 'b', gen: 0, iat: 130 },
  // Spent and its successor, issued within the same second.
  spent: { sid: 'c', gen: 3, iat: 200 },
  successor: { sid: 'c', gen: 4, iat: 200 },
  // Of a chain from before generations: no `gen`, and its first token with one.
  legacy: { sid: 'd', iat: 300 },
  upgraded: { sid: 'd', gen: 1, iat: 300 },
  // Another session's token issued in that second, later than the spent one's.
  sibling: { sid: 'e', gen: 0, iat: 200 },
};

/** A check that counts its calls per token: each value must be checked exactly once. */
function counting() {
  const calls: string[] = [];
  const check = (token: string) => {
    calls.push(token);
    return token in TOKENS ? { token, ...TOKENS[token] } : new Error(`refused ${token}`);
  };
  return { calls, check };
}

describe('chooseRefreshCookie', () => {
  it('answers undefined without a cookie, having checked nothing', () => {
    const { calls, check } = counting();

    expect(chooseRefreshCookie([], check)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("gives the only cookie's check result, checked once", () => {
    const { calls, check } = counting();

    expect(chooseRefreshCookie(['current'], check)).toEqual({
      token: 'current',
      ...TOKENS.current,
    });
    expect(chooseRefreshCookie(['garbage'], check)).toEqual(new Error('refused garbage'));
    expect(calls).toEqual(['current', 'garbage']);
  });

  it('takes the cookie this server signed over garbage or a foreign token, wherever it is', () => {
    const { check } = counting();

    expect(chooseRefreshCookie(['garbage', 'current'], check)).toMatchObject({ token: 'current' });
    expect(chooseRefreshCookie(['current', 'foreign.token.x'], check)).toMatchObject({
      token: 'current',
    });
  });

  it('takes the newest of several valid ones, each checked once: a planted spent token never counts as reuse', () => {
    const { calls, check } = counting();

    expect(chooseRefreshCookie(['old', 'current', 'other'], check)).toMatchObject({
      token: 'current',
    });
    expect(calls).toEqual(['old', 'current', 'other']);
    expect(chooseRefreshCookie(['other', 'old'], check)).toMatchObject({ token: 'other' });
  });

  it('decides within a chain by generation, not by the whole-second iat: a successor of the same second wins, in either order', () => {
    const { check } = counting();

    expect(chooseRefreshCookie(['spent', 'successor'], check)).toMatchObject({
      token: 'successor',
    });
    expect(chooseRefreshCookie(['successor', 'spent'], check)).toMatchObject({
      token: 'successor',
    });
  });

  it('never ends on a spent token beside its successor, whatever else is sent and in whatever order', () => {
    const { check } = counting();
    const names = ['spent', 'successor', 'sibling', 'garbage'];
    for (const order of permutations(names)) {
      expect([order, chooseRefreshCookie(order, check)]).not.toEqual([
        order,
        expect.objectContaining({ token: 'spent' }),
      ]);
    }
  });

  it('takes a token with a generation over one of its chain from before generations', () => {
    const { check } = counting();

    expect(chooseRefreshCookie(['legacy', 'upgraded'], check)).toMatchObject({ token: 'upgraded' });
    expect(chooseRefreshCookie(['upgraded', 'legacy'], check)).toMatchObject({ token: 'upgraded' });
  });

  it("answers the first one's rejection when none verifies, without checking it again", () => {
    const { calls, check } = counting();

    expect(chooseRefreshCookie(['bad1', 'bad2'], check)).toEqual(new Error('refused bad1'));
    expect(calls).toEqual(['bad1', 'bad2']);
  });
});

function permutations(items: readonly string[]): string[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}
