import { randomBytes } from 'node:crypto';
import { MIN_SECRET_LENGTH } from '../auth/settings';
import type { EnvReader } from './env-readers';
import { secretWeakness } from './secret-strength';

/**
 * Reads the two token secrets. Production refuses a missing, short, guessable (see `secret-strength.ts`) or shared
 * secret; development accepts a short or guessable one with a warning. Development replaces a missing
 * one by a random secret, so that the server starts on a fresh machine with no `.env`, and says so loudly.
 * Without `accessSecretUsed` (an asymmetric JWT_ALGORITHM signs access tokens with a private key), JWT_SECRET is not
 * read, and `secret` is empty.
 */
export function readSecrets(
  env: EnvReader,
  production: boolean,
  warnings: string[],
  accessSecretUsed = true,
): { secret: string; refreshSecret: string } {
  const secret = accessSecretUsed ? readSecret(env, 'JWT_SECRET', production, warnings) : '';
  const refreshSecret = readSecret(env, 'JWT_REFRESH_SECRET', production, warnings);
  if (accessSecretUsed && secret === refreshSecret) {
    env.fail(
      'JWT_SECRET and JWT_REFRESH_SECRET must differ: a leaked refresh key must not forge access tokens',
    );
  }
  return { secret, refreshSecret };
}

function readSecret(env: EnvReader, name: string, production: boolean, warnings: string[]): string {
  const value = env.raw(name);
  if (value === undefined) {
    if (production) {
      env.fail(`${name} is required in production (at least ${MIN_SECRET_LENGTH} characters)`);
      return '';
    }
    warnings.push(
      `${name} is not set: using a random secret for this run. Tokens will not survive a restart. ` +
        `Set ${name} (at least ${MIN_SECRET_LENGTH} characters) in the environment or .env.`,
    );
    return randomBytes(48).toString('base64url');
  }
  if (value.length < MIN_SECRET_LENGTH) {
    const problem = `${name} must be at least ${MIN_SECRET_LENGTH} characters (got ${value.length})`;
    if (production) env.fail(problem);
    else warnings.push(`${problem}; accepted outside production only`);
    return value;
  }
  const weakness = secretWeakness(value);
  if (weakness !== undefined) {
    if (production) env.fail(`${name} ${weakness}`);
    else warnings.push(`${name} ${weakness}; accepted outside production only`);
  }
  return value;
}
