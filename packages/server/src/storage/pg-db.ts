// The Db port over a node-postgres pool: one pool per process, one checked-out client per transaction.
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, QueryResult } from './db.ts';

export interface PgDbOptions {
  /** Pool size (pg's default is 10). */
  max?: number;
  applicationName?: string;
  /** Errors of idle or checked-out clients (server restart, network drop). pg would crash the process without a listener. */
  onError?: (error: Error) => void;
  /**
   * Prepare parameterised statements once per connection (default). Off for a pooler that hands each transaction
   * a different server connection and does not track prepared statements (PgBouncer before 1.21 in transaction mode).
   */
  prepare?: boolean;
}

export type PgDb = Db & { pool: pg.Pool; close(): Promise<void> };

const INT8_OID = 20;

// Counts, sequences and bigserial ordinals fit in 2^53, so they become numbers. One that does not is an error
// rather than a silently rounded value. numeric stays pg's exact decimal string.
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit in a JavaScript number`);
  return value;
}

// Per pool, not pg.types.setTypeParser: that is process-wide and would change pg for every other library too.
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format),
};

type Queryable = pg.Pool | pg.PoolClient;

// Parameterised statements are prepared once per connection under a name derived from their text, so PostgreSQL
// parses and plans each of our (few, fixed) statements once instead of on every call. Parameterless text may hold
// several statements (a migration file), which a prepared statement cannot, so it goes as a simple query.
// Our texts are a bounded set (filters combine into a few dozen); past the cap a text goes unnamed rather than
// growing every connection's statement cache without end.
const MAX_PREPARED_STATEMENTS = 500;
const statementNames = new Map<string, string>();
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `t_${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
    statementNames.set(sql, name);
  }
  return name;
}

const withName = (name: string | undefined) => (name === undefined ? {} : { name });

async function runQuery<T>(on: Queryable, sql: string, params: readonly unknown[] | undefined, prepare: boolean): Promise<QueryResult<T>> {
  // pg types this as one result, but a parameterless string of several statements (a migration file) yields one
  // result per statement; the last one is what the caller asked for.
  const raw: pg.QueryResult | pg.QueryResult[] = params === undefined
    ? await on.query(sql)
    : await on.query({ text: sql, values: [...params], ...(prepare ? withName(statementName(sql)) : {}) });
  const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return { rows: (last?.rows ?? []) as T[], rowCount: last?.rowCount ?? 0 };
}

async function runTransaction<T>(pool: pg.Pool, fn: (tx: Db) => Promise<T>, onError: (error: Error) => void, prepare: boolean): Promise<T> {
  const client = await pool.connect();
  // pg-pool removes its idle error listener while a client is checked out; an 'error' with no listener would crash.
  let clientError: Error | undefined;
  const onClientError = (error: Error): void => {
    clientError = error;
    onError(error);
  };
  client.on('error', onClientError);
  let finished = false;
  const tx: Db = {
    query: <R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
      // A tx kept past its callback would otherwise run on a client that is back in the pool, in someone else's work.
      finished ? Promise.reject(new Error('transaction already finished')) : runQuery<R>(client, sql, params, prepare),
    transaction: (inner) => inner(tx),
  };
  try {
    await client.query('BEGIN');
    const value = await fn(tx);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      clientError ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    finished = true;
    client.off('error', onClientError);
    // Passing an error destroys the client instead of pooling a connection in an unknown state.
    client.release(clientError);
  }
}

export function createPgDb(connectionString: string, options: PgDbOptions = {}): PgDb {
  const onError = options.onError ?? (() => {});
  const prepare = options.prepare ?? true;
  const pool = new pg.Pool({
    connectionString,
    types: typeParsers,
    ...(options.max === undefined ? {} : { max: options.max }),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  pool.on('error', (error) => onError(error));
  let closing: Promise<void> | undefined;
  return {
    pool,
    query: <R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) => runQuery<R>(pool, sql, params, prepare),
    transaction: (fn) => runTransaction(pool, fn, onError, prepare),
    // pool.end() throws when called twice; shutdown paths often overlap.
    close: () => (closing ??= pool.end()),
  };
}
