// The narrow database port the whole server talks to: plain SQL with parameters, plus transactions.
// Kept this small so use cases can be tested against any PostgreSQL and never see the driver.

export interface QueryResult<T> {
  rows: T[];
  /** Rows returned or affected; 0 for statements that report no count (DDL). */
  rowCount: number;
}

export interface Db {
  query<T extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>>;
  /**
   * Runs fn in one transaction (BEGIN/COMMIT, ROLLBACK on throw); nested calls on a tx reuse it.
   * Reuse means no savepoint: an error inside a nested call aborts the whole outer transaction.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}
