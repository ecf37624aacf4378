import { randomBytes } from 'node:crypto';

/** How many recovery codes a user gets at once. */
export const RECOVERY_CODE_COUNT = 10;

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * Ten new recovery codes, shown once: 16 characters each from an alphabet without look-alikes (about 79 bits),
 * written `xxxx-xxxx-xxxx-xxxx`. Stored only as keyed hashes; single use.
 */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = [...randomBytes(16)].map((byte) => ALPHABET[byte % ALPHABET.length]);
    return [0, 4, 8, 12].map((at) => chars.slice(at, at + 4).join('')).join('-');
  });
}

/**
 * A code as the user typed it, in the form it was hashed in: case, spaces and dashes do not matter (a code read
 * aloud or copied from paper).
 */
export function normalizeRecoveryCode(typed: string): string {
  const clean = typed.toLowerCase().replace(/[\s-]/g, '');
  return clean.length === 16 ? [0, 4, 8, 12].map((at) => clean.slice(at, at + 4)).join('-') : clean;
}
