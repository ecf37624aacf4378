import type { RefreshTokenRecord } from '../model/session-store.port';

/**
 * Whether a spent refresh token presented again is a benign race (two tabs refreshing at once) rather than theft:
 * it was spent at most `graceSeconds` ago, and its successor is the session's current token (not spent itself),
 * so it is the just-rotated token, never an older ancestor.
 */
export function isWithinReuseGrace(
  spent: RefreshTokenRecord,
  successor: RefreshTokenRecord,
  now: number,
  graceSeconds: number,
): boolean {
  return (
    spent.spentAt !== null &&
    spent.successorId === successor.id &&
    successor.spentAt === null &&
    now - spent.spentAt <= graceSeconds * 1000
  );
}
