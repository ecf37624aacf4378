import type { SessionRecord } from '../model/session-store.port';

/** Neither revoked nor past its idle or absolute deadline at `now` (ms since the epoch). */
export function isLive(session: SessionRecord, now: number): boolean {
  return (
    session.revokedAt === null && session.idleExpiresAt > now && session.absoluteExpiresAt > now
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a session id: nothing else is looked up (PostgreSQL would fail on a NUL or an overlong id). */
export function canBeSessionId(id: string): boolean {
  return UUID.test(id);
}
