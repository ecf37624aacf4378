import type * as BcryptModule from '@node-rs/bcrypt';

// The module object itself (an `import * as` namespace is frozen): the service reads `compare` from it at call time.
const bcrypt = jest.requireActual<typeof BcryptModule>('@node-rs/bcrypt');
import { resolveAuthOptions } from '../options/resolve-auth-options';
import { PasswordService } from './password.service';

const SECRETS = {
  jwtSecret: 'unit-access-secret-0123456789abcdefghij',
  jwtRefreshSecret: 'unit-refresh-secret-0123456789abcdefghij',
};

function passwordService(bcryptRounds: number): PasswordService {
  return new PasswordService(
    resolveAuthOptions({ ...SECRETS, bcryptRounds, allowWeakSettings: true }),
  );
}

describe('PasswordService', () => {
  let passwords: PasswordService;

  beforeAll(async () => {
    passwords = passwordService(4);
    await passwords.onModuleInit();
  });

  it('hashes with bcrypt of a pre-hash at the configured cost, in a format that names the scheme', async () => {
    const hash = await passwords.hash('correct horse battery');
    expect(hash).toMatch(/^\$bcrypt-sha256\$v1\$2b\$04\$.{53}$/);
    expect(hash).not.toContain('correct horse battery');
    expect(passwords.needsRehash(hash)).toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    expect(await passwords.hash('correct horse battery')).not.toBe(
      await passwords.hash('correct horse battery'),
    );
  });

  it('matches the password that was hashed and no other', async () => {
    const hash = await passwords.hash('correct horse battery');

    await expect(passwords.matches('correct horse battery', hash)).resolves.toBe(true);
    await expect(passwords.matches('correct horse battery!', hash)).resolves.toBe(false);
    await expect(passwords.matches('Correct horse battery', hash)).resolves.toBe(false);
  });

  it('matches NFKC-equivalent passwords: composed and decomposed accents, full-width forms', async () => {
    const composed = await passwords.hash('caf\u00e9 au lait');
    const fullWidth = await passwords.hash('ｐａｓｓ１２３４');

    await expect(passwords.matches('cafe\u0301 au lait', composed)).resolves.toBe(true);
    await expect(passwords.matches('pass1234', fullWidth)).resolves.toBe(true);
  });

  it.each([
    ['Cyrillic', 'ж'],
    ['Greek', 'λ'],
    ['CJK', '語'],
    ['emoji', '😀'],
  ])('counts every character of 64 %s ones, past bcrypt’s 72 bytes', async (_script, character) => {
    const password = character.repeat(64);
    const hash = await passwords.hash(password);
    await expect(passwords.matches(password, hash)).resolves.toBe(true);
    await expect(passwords.matches(character.repeat(63) + 'x', hash)).resolves.toBe(false);
    await expect(passwords.matches(character.repeat(63), hash)).resolves.toBe(false);
  });

  describe('a plain bcrypt hash, stored before the pre-hash', () => {
    const legacy = (password: string) => bcrypt.hash(password.normalize('NFKC'), 4);

    it('still matches its password, NFKC-equivalent spellings included, and no other', async () => {
      const hash = await legacy('caf\u00e9 au lait');
      await expect(passwords.matches('cafe\u0301 au lait', hash)).resolves.toBe(true);
      await expect(passwords.matches('caf\u00e9 au laid', hash)).resolves.toBe(false);
    });

    it('asks to be rehashed', async () => {
      expect(passwords.needsRehash(await legacy('correct horse battery'))).toBe(true);
    });

    it('never matches a password over 72 bytes, even when its first 72 bytes do', async () => {
      const prefix = 'p'.repeat(72);
      const hash = await legacy(prefix);
      await expect(passwords.matches(prefix, hash)).resolves.toBe(true);
      await expect(passwords.matches(prefix + 'x', hash)).resolves.toBe(false);
    });

    it('never matches a password with a NUL, even when the part before it does', async () => {
      const hash = await legacy('abcdefgh');
      await expect(passwords.matches('abcdefgh\u0000anything', hash)).resolves.toBe(false);
    });
  });

  it('never matches a password with a NUL, even when the part before it does', async () => {
    const hash = await passwords.hash('abcdefgh');

    await expect(passwords.matches('abcdefgh\u0000anything', hash)).resolves.toBe(false);
  });

  it('answers false for an unknown user (no hash), whatever the password', async () => {
    await expect(passwords.matches('correct horse battery', undefined)).resolves.toBe(false);
    await expect(passwords.matches('x'.repeat(8), undefined)).resolves.toBe(false);
    await expect(passwords.matches('', undefined)).resolves.toBe(false);
  });

  it('keeps a dummy hash of the configured cost to compare against for unknown users', async () => {
    const service = passwordService(4);
    await service.onModuleInit();

    const dummy = await (service as unknown as { dummyHash?: Promise<string> }).dummyHash;

    expect(dummy).toMatch(/^\$bcrypt-sha256\$v1\$2b\$04\$.{53}$/);
  });

  it('spends exactly one bcrypt comparison, at the configured cost, on an unknown user', async () => {
    // A spy that calls through: the real comparison still runs; the test counts it and reads its hash's cost.
    const compare = jest.spyOn(bcrypt, 'compare');
    try {
      expect(await passwords.matches('not the password', undefined)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
      // A bcrypt hash reads `$2b$<cost>$<salt and digest>`.
      expect(String(compare.mock.calls[0][1]).split('$')[2]).toBe('04');
    } finally {
      compare.mockRestore();
    }
  });

  it('spends one bcrypt comparison on a password outside the policy, as on any other', async () => {
    const hash = await passwords.hash('correct horse battery');
    const compare = jest.spyOn(bcrypt, 'compare');
    try {
      expect(await passwords.matches(`correct horse battery\0`, hash)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
    } finally {
      compare.mockRestore();
    }
  });
});
