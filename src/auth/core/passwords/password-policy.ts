import { ILL_FORMED_TEXT, isWellFormedText } from '../validation/well-formed-text';
import { isCommonPassword } from './common-passwords';

/** Code points, after NFKC (CONTRACT §2). */
export const MIN_PASSWORD_CHARACTERS = 8;
/**
 * Code points, after NFKC, in any script: every one counts, as the hash pre-hashes the password before bcrypt
 * (OWASP ASVS 5.0 6.2.9 asks for at least 64).
 */
export const MAX_PASSWORD_CHARACTERS = 128;

/**
 * The form a password is hashed and compared in. NFKC makes the same visible password typed on two keyboards
 * (precomposed "é" against "e" + combining accent, full-width digits) hash the same.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Why a new password breaks the policy (docs/sessions.md: Behaviour in detail, Passwords), as the end of a sentence that starts with the field's
 * name, or undefined when it is acceptable: the {@link passwordFormatViolation} rules, and not one of the most
 * commonly used passwords (see `common-passwords.ts`). For passwords being set: register, change, reset, ADMIN_PASSWORD.
 */
export function passwordPolicyViolation(password: string): string | undefined {
  const formatViolation = passwordFormatViolation(password);
  if (formatViolation !== undefined) return formatViolation;
  if (isCommonPassword(password)) {
    return 'is one of the most commonly used passwords: choose a longer, less guessable one';
  }
  return undefined;
}

/**
 * Why a password could not be hashed or compared faithfully, or undefined. Lengths are measured on the normalized
 * form, which is what gets hashed. Checking a password at login uses this alone: an account whose password predates
 * the common-passwords list must still be able to sign in (and then change it).
 */
export function passwordFormatViolation(password: string): string | undefined {
  // Before normalizing: a lone surrogate would be hashed as U+FFFD, the same bytes as other passwords.
  if (!isWellFormedText(password)) return ILL_FORMED_TEXT;
  const normalized = normalizePassword(password);
  // Plain bcrypt hashes, which still verify, end at a NUL (bcrypt's C code): what follows one would be ignored.
  if (normalized.includes('\0')) return 'must not contain a NUL character';
  const characters = [...normalized].length;
  if (characters < MIN_PASSWORD_CHARACTERS) {
    return `must be at least ${MIN_PASSWORD_CHARACTERS} characters long`;
  }
  if (characters > MAX_PASSWORD_CHARACTERS) {
    return `must be at most ${MAX_PASSWORD_CHARACTERS} characters long`;
  }
  return undefined;
}
