import { AuthError } from '../../core/errors/auth-error';
import type { ManagedUser } from '../../core/model/auth.types';
import {
  MAX_USER_ID_LENGTH,
  type UserListing,
  type UserRecord,
} from '../../core/model/user-store.port';
import { isWellFormedText } from '../../core/validation/well-formed-text';

/** The latest time a `Date` can hold (ECMA-262 §21.4.1.22): ms since the epoch. */
const MAX_DATE_MS = 8.64e15;

/** A page of the admin list: `nextCursor` is null on the last one. */
export interface UserPage {
  items: ManagedUser[];
  nextCursor: string | null;
}

/**
 * One page of users, newest first. The cursor is opaque to clients: the position (creation time and id) of the
 * page's last user, in base64url, so a page never repeats or skips a user created meanwhile (keyset pagination).
 * @throws AuthError `VALIDATION_FAILED` for a cursor this server did not make, or one naming a position no store
 * holds (a time outside what a `Date` can represent, an id no user can have).
 */
export async function listUsers(
  users: UserListing,
  query: { limit: number; cursor?: string; email?: string },
  show: (user: UserRecord) => Promise<ManagedUser>,
): Promise<UserPage> {
  // No stored address holds a NUL (registration refuses it), and PostgreSQL fails on one in text.
  if (query.email?.includes('\0')) return { items: [], nextCursor: null };
  const page = await users.list({
    // One more than asked: whether it comes tells whether there is a next page.
    limit: query.limit + 1,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    emailPrefix:
      query.email === undefined ? undefined : query.email.trim().normalize('NFC').toLowerCase(),
  });
  const items = page.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: await Promise.all(items.map(show)),
    nextCursor: page.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString('base64url');
}

/**
 * The position a cursor names, validated to what the store's query takes: a creation time a `Date` holds (and a
 * user can have: not before the epoch), and an id a user can have (see `UserAdministration`'s lookup). Anything
 * else would reach the query as an Invalid Date, a 500.
 */
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const [time, id]: unknown[] =
      Array.isArray(decoded) && decoded.length === 2 ? (decoded as unknown[]) : [];
    if (
      Number.isSafeInteger(time) &&
      (time as number) >= 0 &&
      (time as number) <= MAX_DATE_MS &&
      typeof id === 'string' &&
      id.length > 0 &&
      id.length <= MAX_USER_ID_LENGTH &&
      !id.includes('\0') &&
      isWellFormedText(id)
    ) {
      return { createdAt: new Date(time as number), id };
    }
  } catch {
    // Not JSON: refused below like any other cursor this server did not make.
  }
  throw new AuthError('VALIDATION_FAILED', { message: ['cursor is invalid'] });
}
