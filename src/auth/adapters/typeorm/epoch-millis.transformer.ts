import type { ValueTransformer } from 'typeorm';

/**
 * Times are stored as `bigint` milliseconds since the epoch: the same on SQLite and PostgreSQL, free of time zones.
 * node-postgres returns `bigint` as a string, hence the conversion on the way back. On the way in they go as
 * `BigInt`s: TypeORM's SQLite driver writes a plain number into the SQL text instead of binding it, which made every
 * UPDATE a new statement, prepared again each time and crowding the constant ones out of the statement cache.
 * better-sqlite3 binds a `BigInt` as an INTEGER, node-postgres sends its digits.
 */
export const epochMillis: ValueTransformer = {
  to: (value: number | null | undefined) => (typeof value === 'number' ? BigInt(value) : value),
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
