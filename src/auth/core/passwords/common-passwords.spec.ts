import { commonPasswordList, foldForLookup, isCommonPassword } from './common-passwords';

describe('the common-passwords list', () => {
  it('holds at least the 10,000 most common passwords (49,233 in @zxcvbn-ts/language-common 4)', () => {
    expect(commonPasswordList().size).toBeGreaterThanOrEqual(10_000);
  });

  it('is built once: every call answers the same Set', () => {
    expect(commonPasswordList()).toBe(commonPasswordList());
  });

  it.each(['123456', 'password', 'qwerty', 'dragon', 'letmein', 'password1', 'qwertyuiop'])(
    'has %s, among the most used',
    (password) => {
      expect(isCommonPassword(password)).toBe(true);
    },
  );

  it('folds case and compatibility forms before looking up', () => {
    expect(foldForLookup('ＰａｓｓＷｏｒｄ１')).toBe('password1');
    expect(foldForLookup('STRAßE')).toBe('strasse');
  });

  it.each(['correct horse battery staple', 'zebrafish47', 'k7#x9Q2m'])(
    'does not have %s',
    (password) => {
      expect(isCommonPassword(password)).toBe(false);
    },
  );
});
