import {
  MAX_PASSWORD_CHARACTERS,
  MIN_PASSWORD_CHARACTERS,
  normalizePassword,
  passwordFormatViolation,
  passwordPolicyViolation,
} from './password-policy';

const COMMON = 'is one of the most commonly used passwords: choose a longer, less guessable one';

/**
 * docs/sessions.md: Behaviour in detail, Passwords: 8 to 128 characters in any script, no NUL, not a common password, NFKC-normalized.
 */
describe('password policy', () => {
  it('states the limits of the contract', () => {
    expect(MIN_PASSWORD_CHARACTERS).toBe(8);
    expect(MAX_PASSWORD_CHARACTERS).toBe(128);
  });

  describe('well-formed Unicode', () => {
    it.each(['abcdefgh\ud800xyz', '\udfffabcdefgh', 'abcdefgh\ud800'])(
      'refuses a lone surrogate in %j, which UTF-8 would turn into U+FFFD',
      (password) => {
        expect(passwordFormatViolation(password)).toBe(
          'must be well-formed Unicode text (it holds a lone surrogate)',
        );
      },
    );

    it('accepts surrogate pairs (characters beyond the BMP)', () => {
      expect(passwordPolicyViolation('horse 🐎 battery 𝄞')).toBeUndefined();
    });
  });

  describe('length in characters', () => {
    it('refuses 7 characters', () => {
      expect(passwordPolicyViolation('abcdefg')).toBe('must be at least 8 characters long');
    });

    it('accepts 8 characters', () => {
      expect(passwordPolicyViolation('k7#x9Q2m')).toBeUndefined();
    });

    it('counts characters, not UTF-16 units: 7 emoji are too short, 8 are enough', () => {
      expect(passwordPolicyViolation('😀'.repeat(7))).toBeDefined();
      expect(passwordPolicyViolation('😀'.repeat(8))).toBeUndefined();
    });

    it('refuses the empty password', () => {
      expect(passwordPolicyViolation('')).toBeDefined();
    });
  });

  describe('the maximum length, in characters of any script', () => {
    it('accepts 128 characters and refuses 129', () => {
      expect(passwordPolicyViolation('k7#x'.repeat(32))).toBeUndefined();
      expect(passwordPolicyViolation('k7#x'.repeat(32) + 'q')).toBe(
        'must be at most 128 characters long',
      );
    });
    it.each([
      ['Cyrillic', 'ж'],
      ['Greek', 'λ'],
      ['CJK', '語'],
      ['emoji', '😀'],
    ])('accepts 64 and 128 %s characters, however many bytes they take', (_script, character) => {
      expect(passwordPolicyViolation(character.repeat(64))).toBeUndefined();
      expect(passwordPolicyViolation(character.repeat(128))).toBeUndefined();
      expect(passwordPolicyViolation(character.repeat(129))).toBeDefined();
    });
  });

  describe('NUL', () => {
    it('refuses a NUL character anywhere', () => {
      expect(passwordPolicyViolation('abcdefgh\u0000')).toBe('must not contain a NUL character');
      expect(passwordPolicyViolation('\u0000abcdefgh')).toBe('must not contain a NUL character');
      expect(passwordPolicyViolation('abcd\u0000efgh')).toBe('must not contain a NUL character');
    });
  });

  describe('NFKC normalization', () => {
    it('makes composed and decomposed accents the same password', () => {
      expect(normalizePassword('cafe\u0301 au lait')).toBe(normalizePassword('caf\u00e9 au lait'));
      expect(normalizePassword('cafe\u0301 au lait')).toBe('caf\u00e9 au lait');
    });

    it('makes full-width letters and digits their ASCII forms', () => {
      expect(normalizePassword('ｐａｓｓ１２３４')).toBe('pass1234');
    });

    it('measures the normalized form: 8 code points that normalize to 7 characters are too short', () => {
      const decomposed = 'abcdef' + 'e\u0301';
      expect([...decomposed]).toHaveLength(8);

      expect(passwordPolicyViolation(decomposed)).toBe('must be at least 8 characters long');
    });

    it('measures the normalized form: 128 code points that normalize to more than 128 are too long', () => {
      // U+337B (one code point) becomes "平成" (two) under NFKC.
      const expanding = 'k7#x'.repeat(31) + 'abc' + '\u337b';
      expect([...expanding]).toHaveLength(128);

      expect(passwordPolicyViolation(expanding)).toBe('must be at most 128 characters long');
    });
  });

  describe('common passwords', () => {
    it.each(['password1', '12345678', 'qwertyuiop', 'iloveyou2', 'trustno1', 'p@ssw0rd'])(
      'refuses %s, which is on the list',
      (password) => {
        expect(passwordPolicyViolation(password)).toBe(COMMON);
      },
    );

    it.each(['Password1', 'PASSWORD1', 'QwertyUiop'])(
      'refuses %s: the lookup is case-folded',
      (password) => {
        expect(passwordPolicyViolation(password)).toBe(COMMON);
      },
    );

    it('refuses a full-width spelling of a listed password: the lookup is NFKC-normalized', () => {
      expect(passwordPolicyViolation('ｐａｓｓｗｏｒｄ１')).toBe(COMMON);
    });

    it('accepts a long passphrase made of common words', () => {
      expect(passwordPolicyViolation('correct horse battery staple')).toBeUndefined();
    });

    it('reports a broken length rule first: a 7-character common password is too short', () => {
      expect(passwordPolicyViolation('abc1234')).toBe('must be at least 8 characters long');
    });

    it('leaves common passwords out of the format rules, which checking an old password at login uses', () => {
      expect(passwordFormatViolation('password1')).toBeUndefined();
      expect(passwordFormatViolation('abcdefg')).toBe('must be at least 8 characters long');
    });
  });
});
