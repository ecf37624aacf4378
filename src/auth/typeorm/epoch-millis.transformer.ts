import type { ValueTransformer } from 'typeorm';

/**
 * Times are stored as `bigint` milliseconds since the epoch: the same on SQLite and PostgreSQL, free of time zones.
 * node-postgres returns `bigint` as a string, hence the conversion.
 */
export const epochMillis: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
