/**
 * `nest-session-auth/testing`: helpers for a host's tests, kept out of the package entry (docs/testing.md: Testing your app).
 */
export { ManualClock } from '../core/clock/manual-clock';
export { InMemoryRevocationList } from '../core/revocation/in-memory-revocation-list';
export { InMemorySessionStore } from './in-memory-session.store';
export { InMemoryUserStore } from './in-memory-user.store';
export { InMemoryMailStore } from '../features/account-mail/in-memory-mail.store';
