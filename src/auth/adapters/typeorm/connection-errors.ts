/**
 * PostgreSQL's refusals at connection time that no retry cures (SQLSTATE, PostgreSQL manual appendix A): the database
 * does not exist (3D000), the password is wrong (28P01), the role or the client is not admitted (28000).
 */
const PERMANENT_SQLSTATES = new Set(['3D000', '28P01', '28000']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether retrying the connection cannot help: give it as `toRetry: (error) => !isPermanentDatabaseError(error)` to
 * `TypeOrmModule.forRoot` so that such a boot stops at once, instead of after TypeORM's retries (9 × 3 s by default).
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && PERMANENT_SQLSTATES.has(code);
}

/**
 * What to do about a connection error at boot, one sentence, or undefined when there is nothing specific to say.
 * Names the missing database (from the server's message), never a credential.
 */
export function databaseErrorAdvice(error: unknown): string | undefined {
  const code = sqlState(error);
  if (code === '3D000') {
    const name = /database "([^"]+)" does not exist/.exec(String((error as Error).message))?.[1];
    const shown = name ?? '<name>';
    return `Create the database first: createdb ${shown} (or CREATE DATABASE "${shown}"; in psql)`;
  }
  if (code === '28P01' || code === '28000') {
    return 'Check the user and password of the database URL, and that PostgreSQL admits this client (pg_hba.conf)';
  }
  return undefined;
}
