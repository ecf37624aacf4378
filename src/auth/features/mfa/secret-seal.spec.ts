import { SecretSeal } from './secret-seal';

const KEY = 'unit-mfa-encryption-key-0123456789abcdef';

describe('SecretSeal', () => {
  const seal = new SecretSeal(KEY);
  const secret = Buffer.from('12345678901234567890');

  it('opens what it sealed for the same user, and never stores the secret in the clear', () => {
    const sealed = seal.seal(secret, 'user-1');

    expect(seal.open(sealed, 'user-1')).toEqual(secret);
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(sealed).not.toContain(secret.toString('hex'));
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    expect(seal.seal(secret, 'user-1')).not.toBe(seal.seal(secret, 'user-1'));
  });

  it('refuses to open a secret sealed for another user, under another key, or altered', () => {
    const sealed = seal.seal(secret, 'user-1');
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;

    expect(() => seal.open(sealed, 'user-2')).toThrow();
    expect(() => new SecretSeal(`${KEY}-other`).open(sealed, 'user-1')).toThrow();
    expect(() =>
      seal.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'user-1'),
    ).toThrow();
    expect(() => seal.open('v0.a.b.c', 'user-1')).toThrow('Unreadable sealed secret');
  });

  it('hashes with its key: the same value gives the same hash, another key another one', () => {
    expect(seal.hash('abcd-efgh')).toBe(seal.hash('abcd-efgh'));
    expect(seal.hash('abcd-efgh')).toMatch(/^[0-9a-f]{64}$/);
    expect(new SecretSeal(`${KEY}-other`).hash('abcd-efgh')).not.toBe(seal.hash('abcd-efgh'));
  });
});
