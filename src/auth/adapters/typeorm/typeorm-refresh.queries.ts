import type { DataSource, EntityManager } from 'typeorm';
import { transaction } from './transaction';
import { epochMillis } from './epoch-millis.transformer';
import { authenticationOf } from './session-authentication.columns';
import type {
  NewRefreshToken,
  RefreshContext,
  RefreshTokenRecord,
  RotationResult,
  SessionRecord,
  Spender,
} from '../../core/model/session-store.port';

/**
 * The refresh path of {@link TypeOrmSessionStore} in plain SQL, for its round trips: one read (a JOIN) and one
 * write (docs/performance.md: "Sessions at scale: `npm run bench:sessions`"). Written with `?` placeholders; PostgreSQL's `$n`
 * are put in by {@link run}. Table names are quoted, as TypeORM writes them (the outage tests watch for that text).
 */

/** A token, its session and its successor, by the token's id: the one read of a refresh. */
const CONTEXT = `SELECT
  s.id AS s_id, s.user_id AS s_user_id, s.created_at AS s_created_at, s.last_used_at AS s_last_used_at,
  s.idle_expires_at AS s_idle_expires_at, s.absolute_expires_at AS s_absolute_expires_at,
  s.revoked_at AS s_revoked_at, s.user_agent AS s_user_agent, s.ip AS s_ip,
  s.last_user_agent AS s_last_user_agent, s.last_ip AS s_last_ip,
  s.auth_time AS s_auth_time, s.amr AS s_amr, s.acr AS s_acr,
  ${tokenColumns('t')}, ${tokenColumns('n')}
FROM "auth_refresh_tokens" t
LEFT JOIN "auth_sessions" s ON s.id = t.session_id
LEFT JOIN "auth_refresh_tokens" n ON n.id = t.successor_id
WHERE t.id = ?`;

/** The conditional write that decides a race: only the request that flips spent_at from NULL gets a row back. */
const SPEND = `UPDATE "auth_refresh_tokens" SET spent_at = ?, successor_id = ?, spent_by = ?
WHERE id = ? AND session_id = ? AND spent_at IS NULL RETURNING session_id`;
const INSERT_SUCCESSOR = `INSERT INTO "auth_refresh_tokens" (id, session_id, issued_at, expires_at, generation)
VALUES (?, ?, ?, ?, ?)`;
const TOUCH_SESSION = `UPDATE "auth_sessions"
SET last_used_at = ?, idle_expires_at = ?, last_ip = ?, last_user_agent = ? WHERE id = ?`;

/**
 * The three writes of a rotation as one PostgreSQL statement (a data-modifying CTE, atomic without BEGIN/COMMIT):
 * the successor is inserted and the session touched only if SPEND returned its row. A racing loser's SPEND waits
 * on the row lock, then finds spent_at set and returns nothing.
 */
const ROTATE_POSTGRES = `WITH spent AS (${SPEND}),
successor AS (INSERT INTO "auth_refresh_tokens" (id, session_id, issued_at, expires_at, generation)
  SELECT ?::varchar, session_id, ?::bigint, ?::bigint, ?::integer FROM spent),
touched AS (UPDATE "auth_sessions"
  SET last_used_at = ?::bigint, idle_expires_at = ?::bigint, last_ip = ?, last_user_agent = ?
  WHERE id IN (SELECT session_id FROM spent))
SELECT count(*) AS won FROM spent`;

type Row = Record<string, string | number | null>;
/** A refresh context read by token id only: the session may be missing (it never is, by the foreign key). */
type TokenContext = Omit<RefreshContext, 'session'> & { session: SessionRecord | null };
type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** See {@link SessionStore.findRefreshContext}. */
export async function findRefreshContext(
  dataSource: DataSource,
  sessionId: string,
  tokenId: string,
): Promise<RefreshContext | null> {
  const context = await readContext(dataSource, dataSource, tokenId);
  const session = context?.session;
  return context && session?.id === sessionId ? { ...context, session } : null;
}

/** See {@link SessionStore.rotate}: one statement on PostgreSQL; one queued transaction on SQLite. */
export async function rotate(
  dataSource: DataSource,
  sessionId: string,
  spentId: string,
  successor: NewRefreshToken,
  now: number,
  spender: Spender,
): Promise<RotationResult> {
  const spend = [at(now), successor.id, spender.fingerprint, spentId, sessionId];
  const touch = [at(now), at(successor.expiresAt), spender.ip, spender.userAgent];
  const inserted = [at(successor.issuedAt), at(successor.expiresAt), successor.generation];
  if (dataSource.options.type === 'postgres') {
    const [{ won }] = await run<Row>(dataSource, dataSource, ROTATE_POSTGRES, [
      ...spend,
      successor.id,
      ...inserted,
      ...touch,
    ]);
    // A new statement, so a new snapshot: it sees what the winner committed before this one's SPEND returned.
    return Number(won) === 1 ? { won: true } : lost(dataSource, dataSource, spentId);
  }
  return transaction(dataSource, async (manager) => {
    const spent = await run<Row>(dataSource, manager, SPEND, spend);
    if (spent.length !== 1) return lost(dataSource, manager, spentId);
    await run(dataSource, manager, INSERT_SUCCESSOR, [successor.id, sessionId, ...inserted]);
    await run(dataSource, manager, TOUCH_SESSION, [...touch, sessionId]);
    return { won: true };
  });
}

async function lost(
  dataSource: DataSource,
  runner: Queryable,
  spentId: string,
): Promise<RotationResult> {
  const context = await readContext(dataSource, runner, spentId);
  // The caller has just read this token: its absence is a bug of the caller.
  if (!context) throw new Error(`Unknown refresh token ${spentId}`);
  return { won: false, spent: context.presented, successor: context.successor };
}

async function readContext(
  dataSource: DataSource,
  runner: Queryable,
  tokenId: string,
): Promise<TokenContext | null> {
  const [row] = await run<Row>(dataSource, runner, CONTEXT, [tokenId]);
  if (!row) return null;
  return { session: toSession(row), presented: toToken(row, 't')!, successor: toToken(row, 'n') };
}

/** Runs `sql` with `?` placeholders, numbered `$1`, `$2`... on PostgreSQL. */
function run<T>(dataSource: DataSource, runner: Queryable, sql: string, params: unknown[]) {
  let index = 0;
  const postgres = dataSource.options.type === 'postgres';
  return runner.query<T[]>(postgres ? sql.replace(/\?/g, () => `$${++index}`) : sql, params);
}

function tokenColumns(alias: string): string {
  const columns = ['id', 'session_id', 'issued_at', 'expires_at', 'spent_at', 'successor_id'];
  return [...columns, 'spent_by', 'generation']
    .map((column) => `${alias}.${column} AS ${alias}_${column}`)
    .join(', ');
}

/** As the entity's transformer stores times: bound as integers on either database. */
function at(ms: number): unknown {
  return epochMillis.to(ms);
}

function millis(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

function text(value: string | number | null): string | null {
  return value === null ? null : String(value);
}

function toToken(row: Row, alias: string): RefreshTokenRecord | null {
  const column = (name: string) => row[`${alias}_${name}`];
  if (column('id') === null) return null;
  return {
    id: String(column('id')),
    sessionId: String(column('session_id')),
    issuedAt: Number(column('issued_at')),
    expiresAt: Number(column('expires_at')),
    spentAt: millis(column('spent_at')),
    successorId: text(column('successor_id')),
    spentBy: text(column('spent_by')),
    generation: Number(column('generation')),
  };
}

function toSession(row: Row): SessionRecord | null {
  if (row.s_id === null) return null;
  return {
    id: String(row.s_id),
    userId: String(row.s_user_id),
    createdAt: Number(row.s_created_at),
    lastUsedAt: Number(row.s_last_used_at),
    idleExpiresAt: Number(row.s_idle_expires_at),
    absoluteExpiresAt: Number(row.s_absolute_expires_at),
    revokedAt: millis(row.s_revoked_at),
    userAgent: text(row.s_user_agent),
    ip: text(row.s_ip),
    lastUserAgent: text(row.s_last_user_agent),
    lastIp: text(row.s_last_ip),
    ...authenticationOf(
      Number(row.s_created_at),
      millis(row.s_auth_time),
      text(row.s_amr),
      text(row.s_acr),
    ),
  };
}
