import { chooseRefreshCookie } from './choose-refresh-cookie';

const ISSUED: Record<string, number> = { old: 100, current: 160, other: 130 };

/** A check that counts its calls per token: each value must be checked exactly once. */
function counting() {
  const calls: string[] = [];
  const check = (token: string) => {
    calls.push(token);
    return token in ISSUED ? { token, iat: ISSUED[token] } : new Error(`refused ${token}`);
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

    expect(chooseRefreshCookie(['current'], check)).toEqual({ token: 'current', iat: 160 });
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

  it("answers the first one's rejection when none verifies, without checking it again", () => {
    const { calls, check } = counting();

    expect(chooseRefreshCookie(['bad1', 'bad2'], check)).toEqual(new Error('refused bad1'));
    expect(calls).toEqual(['bad1', 'bad2']);
  });
});
