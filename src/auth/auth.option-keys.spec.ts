import { AuthModule } from './auth.module';
import { optionKeyProblems } from './auth.option-keys';
import type { AuthModuleOptions } from './core/options/auth.options';
import { resolveAuthOptions as resolveOptions } from './core/options/resolve-auth-options';

/** What the composition root does: the core resolves the options, the root names the problems of their keys. */
const resolveAuthOptions = (options: AuthModuleOptions) =>
  resolveOptions(options, optionKeyProblems(options));

const VALID: AuthModuleOptions = {
  jwtSecret: 'an-access-secret-0123456789abcdefghijkl',
  jwtRefreshSecret: 'a-refresh-secret-0123456789abcdefghijkl',
};

/** What `forRootAsync`'s factory may hand back: typed loosely, as a host's untyped config object would be. */
function withKeys(extra: Record<string, unknown>): AuthModuleOptions {
  const options: AuthModuleOptions = { ...VALID, ...extra };
  return options;
}

describe('option keys that would otherwise be ignored silently', () => {
  it('accepts every known option', () => {
    expect(() =>
      resolveAuthOptions(withKeys({ jwtExpiration: 60, throttlerStorage: undefined })),
    ).not.toThrow();
  });

  it.each([['routePrefix'], ['globalGuard'], ['isGlobal'], ['routes'], ['typeorm']])(
    'refuses the extra %s returned by useFactory, saying where it belongs',
    (key) => {
      expect(() => resolveAuthOptions(withKeys({ [key]: 'x' }))).toThrow(
        `Invalid AuthModule options: ${key} is an extra of AuthModule.forRootAsync: give it beside useFactory, not in what useFactory returns`,
      );
    },
  );

  it('refuses a typo, naming the key and the option it most likely meant', () => {
    expect(() => resolveAuthOptions(withKeys({ jwtExpiresIn: 60 }))).toThrow(
      'Invalid AuthModule options: jwtExpiresIn is not an option of AuthModule (did you mean jwtExpiration?)',
    );
  });

  it.each([
    ['throttle', 'throttling({ limit, ttl }) in the features extra'],
    ['smtpUrl', 'accountMail({ smtpUrl }) in the features extra'],
  ])('tells a host upgrading from 0.1 where the option %s went', (key, where) => {
    expect(() => resolveAuthOptions(withKeys({ [key]: false }))).toThrow(
      `${key} is no longer an option of AuthModule: it moved to ${where}`,
    );
  });

  it('refuses an unknown key that resembles nothing, without a guess', () => {
    expect(() => resolveAuthOptions(withKeys({ colour: 'blue' }))).toThrow(
      /colour is not an option of AuthModule$/,
    );
  });

  it('reports unknown keys with the other problems, in one line', () => {
    let message = '';
    try {
      resolveAuthOptions(withKeys({ jwtExpiresIn: 60, bcryptRounds: 3 }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('jwtExpiresIn is not an option');
    expect(message).toContain('bcryptRounds must be');
    expect(message).not.toContain('\n');
  });

  describe('AuthModule.forRootAsync', () => {
    const useFactory = () => VALID;

    it('takes the extras beside useFactory', () => {
      expect(() =>
        AuthModule.forRootAsync({ useFactory, routePrefix: 'identity', globalGuard: false }),
      ).not.toThrow();
    });

    it('refuses an option given beside useFactory, saying where it belongs', () => {
      const async = { useFactory, jwtSecret: 'x' } as Parameters<typeof AuthModule.forRootAsync>[0];

      expect(() => AuthModule.forRootAsync(async)).toThrow(
        'Invalid AuthModule options: jwtSecret is an option of AuthModule: return it from useFactory, not beside it in AuthModule.forRootAsync',
      );
    });

    it('refuses an unknown key beside useFactory, with a guess', () => {
      const async = { useFactory, routPrefix: 'x' } as Parameters<
        typeof AuthModule.forRootAsync
      >[0];

      expect(() => AuthModule.forRootAsync(async)).toThrow(
        'routPrefix is not an option of AuthModule.forRootAsync (did you mean routePrefix?)',
      );
    });
  });
});
