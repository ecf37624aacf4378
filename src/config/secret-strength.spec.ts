import { randomBytes } from 'node:crypto';
import { estimatedEntropyBits, MIN_SECRET_ENTROPY_BITS, secretWeakness } from './secret-strength';

describe('secret strength', () => {
  it('estimates one repeated character at 0 bits, two alternating at 1 bit a character', () => {
    expect(estimatedEntropyBits([...'a'.repeat(40)])).toBe(0);
    expect(estimatedEntropyBits([...'ab'.repeat(20)])).toBe(40);
  });

  it.each([
    ['one repeated character', 'x'.repeat(32)],
    ['two characters', 'ab'.repeat(16)],
    ['a long run with a short tail', `${'a'.repeat(24)}bcdefghi`],
  ])('refuses %s for too little entropy', (_case, secret) => {
    expect(secretWeakness(secret)).toMatch(/^has too little entropy \(about \d+ bits/);
  });

  it.each([
    ['a word repeated', 'passwordpasswordpasswordpassword0'.slice(0, 32)],
    ['a block repeated and cut short', 'changeme-changeme-changeme-change'],
    ['the alphabet twice', 'abcdefghijklmnopabcdefghijklmnop'],
  ])('refuses %s as a repeated block', (_case, secret) => {
    expect(secretWeakness(secret)).toMatch(/^(is one short block repeated|has too little entropy)/);
  });

  it('names the repetition when the entropy estimate alone would pass', () => {
    const twice = 'abcdefghijklmnopabcdefghijklmnop';
    expect(estimatedEntropyBits([...twice])).toBeGreaterThanOrEqual(MIN_SECRET_ENTROPY_BITS);
    expect(secretWeakness(twice)).toMatch(/^is one short block repeated/);
  });

  it.each([
    ['32 random hex characters (openssl rand -hex 16)', () => randomBytes(16).toString('hex')],
    [
      '44 random base64 characters (openssl rand -base64 32)',
      () => randomBytes(32).toString('base64'),
    ],
    ['64 random base64url characters', () => randomBytes(48).toString('base64url')],
  ])('accepts %s, every time', (_case, generate) => {
    for (let i = 0; i < 2000; i += 1) expect(secretWeakness(generate())).toBeUndefined();
  });

  it('accepts a long, varied secret that is not random (the rule refuses only what is surely weak)', () => {
    expect(secretWeakness('production-access-secret-0123456789abcd')).toBeUndefined();
  });
});
