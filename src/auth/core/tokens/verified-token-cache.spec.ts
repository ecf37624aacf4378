import { ManualClock } from '../clock/manual-clock';
import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  const start = Date.UTC(2026, 10, 23);
  let clock: ManualClock;
  let verifications: string[];

  /** A verifier that records what it was asked and gives every token 60 s from the clock's start. */
  const verify = (token: string) => {
    verifications.push(token);
    return { exp: start / 1000 + 60, token };
  };

  beforeEach(() => {
    clock = new ManualClock(start);
    verifications = [];
  });

  it('verifies a token once, then answers its claims from memory', () => {
    const cache = new VerifiedTokenCache(clock);

    const first = cache.claimsOf('token-a', verify);
    const second = cache.claimsOf('token-a', verify);

    expect(second).toBe(first);
    expect(verifications).toEqual(['token-a']);
  });

  it('tells tokens apart by every byte', () => {
    const cache = new VerifiedTokenCache(clock);

    cache.claimsOf('token-a', verify);
    cache.claimsOf('token-b', verify);
    cache.claimsOf('token-a ', verify);

    expect(verifications).toEqual(['token-a', 'token-b', 'token-a ']);
  });

  it('verifies again from the millisecond the token expires, and drops the entry', () => {
    const cache = new VerifiedTokenCache(clock);
    cache.claimsOf('token-a', verify);

    clock.advance(60_000 - 1);
    cache.claimsOf('token-a', verify);
    expect(verifications).toHaveLength(1);

    clock.advance(1);
    const refused = () =>
      cache.claimsOf('token-a', () => {
        throw new Error('expired');
      });
    expect(refused).toThrow('expired');
    expect(cache.size).toBe(0);
  });

  it('remembers nothing of a token that failed verification', () => {
    const cache = new VerifiedTokenCache(clock);
    const failing = () => {
      throw new Error('bad signature');
    };

    expect(() => cache.claimsOf('forged', failing)).toThrow('bad signature');
    expect(() => cache.claimsOf('forged', failing)).toThrow('bad signature');
    expect(cache.size).toBe(0);
  });

  it('holds at most its capacity, making room by dropping the oldest entry', () => {
    const cache = new VerifiedTokenCache(clock, 2);

    cache.claimsOf('token-a', verify);
    cache.claimsOf('token-b', verify);
    cache.claimsOf('token-c', verify);
    expect(cache.size).toBe(2);

    cache.claimsOf('token-c', verify);
    cache.claimsOf('token-b', verify);
    cache.claimsOf('token-a', verify);
    expect(verifications).toEqual(['token-a', 'token-b', 'token-c', 'token-a']);
  });
});
