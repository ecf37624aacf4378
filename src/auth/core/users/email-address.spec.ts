import { emailCharacterProblem, normalizeEmail } from './email-address';

describe('normalizeEmail', () => {
  it.each([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['ju\u0308rgen@example.com', 'jürgen@example.com'],
    ['ADA@EXÄMPLE.COM', 'ada@xn--exmple-cua.com'],
    ['ada@exa\u0308mple.com', 'ada@xn--exmple-cua.com'],
    ['ada@xn--exmple-cua.com', 'ada@xn--exmple-cua.com'],
    ['ÅSA@例え.jp', 'åsa@xn--r8jz45g.jp'],
    ['"a@b"@example.com', '"a@b"@example.com'],
    ['no-at-sign', 'no-at-sign'],
  ])('%j -> %j', (given, stored) => {
    expect(normalizeEmail(given)).toBe(stored);
  });

  it('is idempotent', () => {
    for (const email of ['Ju\u0308rgen@EXÄMPLE.com', 'ÅSA@例え.jp']) {
      expect(normalizeEmail(normalizeEmail(email))).toBe(normalizeEmail(email));
    }
  });
});

describe('emailCharacterProblem', () => {
  it.each([
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\u202e',
    '\u2066',
    '\u200e',
    '\u00ad',
    '\ufeff',
    ' ',
    '\u00a0',
    '\u3000',
    '\u2028',
    '\t',
    '\u0000',
    '\u007f',
  ])('refuses %j inside an address', (character) => {
    expect(emailCharacterProblem(`ada${character}@example.com`)).toBe(
      'must not contain spaces, control characters or invisible characters',
    );
  });

  it('accepts letters of any script, and marks', () => {
    expect(emailCharacterProblem('ju\u0308rgen@exämple.com')).toBeUndefined();
    expect(emailCharacterProblem('åsa@例え.jp')).toBeUndefined();
  });
});
