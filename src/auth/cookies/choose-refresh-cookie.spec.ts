import { chooseRefreshCookie } from './choose-refresh-cookie';

const ISSUED: Record<string, number> = { old: 100, current: 160, other: 130 };
const verify = (token: string) => (token in ISSUED ? { iat: ISSUED[token] } : undefined);

describe('chooseRefreshCookie', () => {
  it('takes the only cookie as it is, verified or not (the strategy refuses a bad one)', () => {
    expect(chooseRefreshCookie([], verify)).toBeUndefined();
    expect(chooseRefreshCookie(['garbage'], verify)).toBe('garbage');
  });

  it('takes the cookie this server signed over garbage or a foreign token, wherever it is', () => {
    expect(chooseRefreshCookie(['garbage', 'current'], verify)).toBe('current');
    expect(chooseRefreshCookie(['current', 'foreign.token.x'], verify)).toBe('current');
  });

  it('takes the newest of several valid ones: a planted spent token never counts as reuse', () => {
    expect(chooseRefreshCookie(['old', 'current', 'other'], verify)).toBe('current');
    expect(chooseRefreshCookie(['other', 'old'], verify)).toBe('other');
  });

  it('falls back to the first when none verifies, to be refused for what it is', () => {
    expect(chooseRefreshCookie(['bad1', 'bad2'], verify)).toBe('bad1');
  });
});
