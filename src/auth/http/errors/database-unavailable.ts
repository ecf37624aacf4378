import { HttpException } from '@nestjs/common';

/** Socket and DNS error codes of a server that cannot be reached, or a connection to it that broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is going away, not there yet, or too busy to take us; class 08 (connection
 * exception) is matched as a whole.
 */
const SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping, or the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or in recovery
  '57P05', // idle_session_timeout
  '57014', // query_canceled: statement_timeout cut a statement the server could not finish in time
  '53300', // too_many_connections
]);
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

/** node-postgres (pg, pg-pool) messages of a connection that could not be made, broke, or stopped answering. */
const DRIVER_MESSAGES = new Set([
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
]);

/**
 * Whether `error` says the database cannot be reached now (as opposed to a bug, a constraint violation or bad
 * input): a refused, reset or timed-out connection, a query that got no answer in time, a server shutting down or
 * starting up; as thrown by node-postgres, or wrapped by TypeORM (`QueryFailedError.driverError`) or in an error's
 * `cause`. An HTTP exception never is: whoever threw it chose its status.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailabilityReason(error) !== undefined;
}

/**
 * What made the database unreachable, for a log line: the code or message of the first error in the chain that
 * says so (never a query or its parameters). `undefined` when `error` is not about an unreachable database.
 */
export function unavailabilityReason(error: unknown): string | undefined {
  if (error instanceof HttpException) return undefined;
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 16) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const reason = ownReason(current);
    if (reason !== undefined) return reason;
    const { driverError, cause, errors } = current as {
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    pending.push(driverError, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return undefined;
}

function ownReason(error: object): string | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return code;
    if (SQLSTATES.has(code) || CONNECTION_EXCEPTION.test(code)) return `SQLSTATE ${code}`;
  }
  if (typeof message === 'string') {
    if (DRIVER_MESSAGES.has(message) || message.startsWith('Connection terminated')) {
      return message;
    }
  }
  return undefined;
}
