// The Db port over a node-postgres pool: one pool per process, one checked-out client per transaction.
import pg from 'pg';
import type { Db, QueryResult } from './db.ts';

export interface PgDbOptions {
  /** Pool size (pg's default is 10). */
  max?: number;
  applicationName?: string;
  /** Errors of idle or checked-out clients (server restart, network drop). pg would crash the process without a listener. */
  onError?: (error: Error) => void;
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

async function runQuery<T>(on: Queryable, sql: string, params: readonly unknown[] | undefined): Promise<QueryResult<T>> {
  // pg types this as one result, but a parameterless string of several statements (a migration file) yields one
  // result per statement; the last one is what the caller asked for.
  const raw: pg.QueryResult | pg.QueryResult[] = await on.query(sql, params === undefined ? undefined : [...params]);
  const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return { rows: (last?.rows ?? []) as T[], rowCount: last?.rowCount ?? 0 };
}

async function runTransaction<T>(pool: pg.Pool, fn: (tx: Db) => Promise<T>, onError: (error: Error) => void): Promise<T> {
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
      finished ? Promise.reject(new Error('transaction already finished')) : runQuery<R>(client, sql, params),
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
    query: <R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) => runQuery<R>(pool, sql, params),
    transaction: (fn) => runTransaction(pool, fn, onError),
    // pool.end() throws when called twice; shutdown paths often overlap.
    close: () => (closing ??= pool.end()),
  };
}
