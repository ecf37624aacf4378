import { databaseErrorAdvice, isPermanentDatabaseError } from './connection-errors';

/** An error as node-postgres rejects a connection with: the server's message and its SQLSTATE. */
function pgError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('connection errors at boot', () => {
  it.each([
    ['a database that does not exist', pgError('database "shop" does not exist', '3D000'), true],
    ['a wrong password', pgError('password authentication failed for user "app"', '28P01'), true],
    ['a client PostgreSQL does not admit', pgError('no pg_hba.conf entry', '28000'), true],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      false,
    ],
    ['too many connections', pgError('sorry, too many clients already', '53300'), false],
    ['no error object', undefined, false],
  ])('%s: permanent %s', (_case, error, permanent) => {
    expect(isPermanentDatabaseError(error)).toBe(permanent);
  });

  it('says to create a missing database, by its name', () => {
    expect(databaseErrorAdvice(pgError('database "shop" does not exist', '3D000'))).toBe(
      'Create the database first: createdb shop (or CREATE DATABASE "shop"; in psql)',
    );
  });

  it('has nothing specific to say about a server that is down', () => {
    expect(
      databaseErrorAdvice(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
    ).toBeUndefined();
  });
});
