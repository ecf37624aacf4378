/**
 * `nest-session-auth/testing`: helpers for a host's tests, kept out of the package entry (README: Testing your app).
 */
export { ManualClock } from '../clock/manual-clock';
export { InMemoryRevocationList } from '../revocation/in-memory-revocation-list';
