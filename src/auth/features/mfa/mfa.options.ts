import { isPositiveInteger, withoutUndefined } from '../../core/options/option-checks';
import type { MfaStore } from './mfa-store.port';

/** `off`: no second factor; `optional`: users may enrol; `required`: as optional, and see {@link MfaOptions.mode}. */
export type MfaMode = 'off' | 'optional' | 'required';

/** Options of the second-factor feature (`mfa({...})`): TOTP, recovery codes, remembered devices, step-up. */
export interface MfaOptions {
  /**
   * `optional` (default): users may enrol TOTP; a user with a factor signs in with it. `required`: as optional, and
   * a user without a factor gets `aal1` tokens only, so routes asking for `aal2` refuse them until they enrol.
   * `off`: the routes answer 404 and no login asks for a second factor (factors enrolled before are kept).
   */
  mode?: MfaMode;
  /**
   * Seconds a device remembered at a second-factor check skips that check at login (`rememberDevice: true` at
   * verify). Default 2592000 (30 days); 0: devices are never remembered.
   */
  rememberDeviceSeconds?: number;
  /**
   * Seconds (1-86400) after the last authentication during which enrolling or removing a factor and renewing
   * recovery codes need no re-authentication (`STEP_UP_MAX_AGE`). Default 300.
   */
  stepUpMaxAge?: number;
  /**
   * The key TOTP secrets are sealed with (AES-256-GCM) and recovery codes hashed with (HMAC-SHA-256), at least 32
   * characters, the same on every instance (`MFA_ENCRYPTION_KEY`). Changing it makes every enrolled factor
   * unusable. Default: derived from the refresh-token secret (set it in production).
   */
  encryptionKey?: string;
  /**
   * Roles whose holders reach routes guarded by that role only with an `aal2` session (`MFA_REQUIRED_ROLES`).
   * Default none.
   */
  requiredRoles?: readonly string[];
  /** The issuer an authenticator app shows beside the account (the `otpauth://` label). Default `nest-auth`. */
  issuer?: string;
  /**
   * Where factors, recovery codes, challenges and remembered devices live. Default: the TypeORM tables
   * `auth_mfa_*` when a built-in TypeORM store is registered, else in process.
   */
  store?: MfaStore;
}

/** The options with their defaults, checked. */
export type ResolvedMfaOptions = Required<Omit<MfaOptions, 'encryptionKey' | 'store'>> &
  Pick<MfaOptions, 'encryptionKey' | 'store'>;

/** The resolved {@link MfaOptions} (an injection token). */
export const MFA_OPTIONS = Symbol('MfaOptions');

/** Shortest `encryptionKey` accepted. */
export const MIN_ENCRYPTION_KEY_LENGTH = 32;

const DEFAULTS = {
  mode: 'optional',
  rememberDeviceSeconds: 2_592_000,
  stepUpMaxAge: 300,
  requiredRoles: [],
  issuer: 'nest-auth',
} satisfies MfaOptions;

const KEYS = new Set<string>([...Object.keys(DEFAULTS), 'encryptionKey', 'store']);

/**
 * `options` with their defaults.
 * @throws Error at registration, in one line naming every bad or unknown option.
 */
export function resolveMfaOptions(options: MfaOptions = {}): ResolvedMfaOptions {
  const resolved = { ...DEFAULTS, ...withoutUndefined(options) } as ResolvedMfaOptions;
  const problems = [
    ...Object.keys(options)
      .filter((key) => !KEYS.has(key))
      .map((key) => `${key} is not an option of mfa`),
    ...mfaProblems(resolved),
  ];
  if (problems.length > 0) throw new Error(`Invalid mfa options: ${problems.join('; ')}`);
  return { ...resolved, requiredRoles: [...resolved.requiredRoles] };
}

function mfaProblems(options: ResolvedMfaOptions): string[] {
  const problems: string[] = [];
  if (!['off', 'optional', 'required'].includes(options.mode)) {
    problems.push('mode must be off, optional or required');
  }
  const remember = options.rememberDeviceSeconds;
  if (!Number.isInteger(remember) || remember < 0 || remember > 365 * 86_400) {
    problems.push('rememberDeviceSeconds must be a whole number of seconds from 0 to 31536000');
  }
  if (!isPositiveInteger(options.stepUpMaxAge) || options.stepUpMaxAge > 86_400) {
    problems.push('stepUpMaxAge must be a whole number of seconds from 1 to 86400');
  }
  const key = options.encryptionKey;
  if (key !== undefined && (typeof key !== 'string' || key.length < MIN_ENCRYPTION_KEY_LENGTH)) {
    problems.push(`encryptionKey must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters`);
  }
  const roles: unknown = options.requiredRoles;
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string' && role !== '')) {
    problems.push('requiredRoles must be a list of role names');
  }
  if (typeof options.issuer !== 'string' || options.issuer === '' || options.issuer.includes(':')) {
    problems.push('issuer must be a non-empty name without a colon');
  }
  return problems;
}
