import { BadRequestException, UnauthorizedException } from '@nestjs/common';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, unavailabilityReason } from './database-unavailable';

/** An error as node-postgres or Node's sockets make them: a message, and a `code` for some. */
function driverError(message: string, code?: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

/** As TypeORM wraps a failed query: the driver's error in `driverError`, its properties copied. */
function queryFailed(driver: Error): QueryFailedError {
  return new QueryFailedError('SELECT * FROM "users" WHERE "email" = $1', ['a@b.c'], driver);
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', driverError('read ECONNRESET', 'ECONNRESET')],
    ['a TCP timeout', driverError('connect ETIMEDOUT 10.0.0.1:5432', 'ETIMEDOUT')],
    ['an unreachable host', driverError('connect EHOSTUNREACH 10.0.0.1:5432', 'EHOSTUNREACH')],
    ['a host name that does not resolve now', driverError('getaddrinfo EAI_AGAIN db', 'EAI_AGAIN')],
    ['a connection the server closed', driverError('Connection terminated unexpectedly')],
    [
      "pg-pool's connection timeout",
      driverError(
        'Connection terminated due to connection timeout',
        undefined,
        driverError('timeout expired'),
      ),
    ],
    [
      "pg-pool's wait for a free connection",
      driverError('timeout exceeded when trying to connect'),
    ],
    ["pg's query_timeout", driverError('Query read timeout')],
    [
      'a client whose connection broke',
      driverError('Client has encountered a connection error and is not queryable'),
    ],
    ['a closed client', driverError('Client was closed and is not queryable')],
    ['SQLSTATE 08006 (connection_failure)', driverError('connection failure', '08006')],
    ['SQLSTATE 08001 (unable to connect)', driverError('could not connect', '08001')],
    [
      'SQLSTATE 57P01 (admin_shutdown)',
      driverError('terminating connection due to administrator command', '57P01'),
    ],
    ['SQLSTATE 57P02 (crash_shutdown)', driverError('terminating connection', '57P02')],
    [
      'SQLSTATE 57P03 (cannot_connect_now)',
      driverError('the database system is starting up', '57P03'),
    ],
    [
      'SQLSTATE 57014 (statement_timeout)',
      driverError('canceling statement due to statement timeout', '57014'),
    ],
    [
      'SQLSTATE 53300 (too_many_connections)',
      driverError('sorry, too many clients already', '53300'),
    ],
  ])('is true for %s, bare or wrapped by TypeORM', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(queryFailed(error))).toBe(true);
    expect(isDatabaseUnavailable(new Error('failed', { cause: error }))).toBe(true);
  });

  it('sees through an AggregateError (a host name with several addresses, all refused)', () => {
    const error = new AggregateError([
      driverError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
      driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    ]);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', queryFailed(driverError('duplicate key value', '23505'))],
    ['a syntax error', queryFailed(driverError('syntax error at or near "SELEC"', '42601'))],
    ['a serialization failure', queryFailed(driverError('could not serialize access', '40001'))],
    [
      'a SQLite constraint',
      queryFailed(driverError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT')),
    ],
    ['SQLite busy', queryFailed(driverError('database is locked', 'SQLITE_BUSY'))],
    ['a TypeORM error', new EntityNotFoundError('UserEntity', { id: '1' })],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['an HTTP exception', new UnauthorizedException()],
    [
      'an HTTP exception caused by an outage (its thrower chose the status)',
      new BadRequestException('bad', { cause: driverError('read ECONNRESET', 'ECONNRESET') }),
    ],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
    ['undefined', undefined],
    ['a number code', Object.assign(new Error('x'), { code: 8006 })],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('stops on a cycle of causes', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.assign(first, { cause: second });
    expect(isDatabaseUnavailable(first)).toBe(false);
  });

  it('gives a reason without the query or its parameters', () => {
    const error = queryFailed(driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'));
    expect(unavailabilityReason(error)).toBe('ECONNREFUSED');
    expect(unavailabilityReason(queryFailed(driverError('terminating', '57P01')))).toBe(
      'SQLSTATE 57P01',
    );
    expect(unavailabilityReason(driverError('Query read timeout'))).toBe('Query read timeout');
  });
});
