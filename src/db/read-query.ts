import neo4j, { type Driver, type ManagedTransaction, type RecordShape } from "neo4j-driver";

/** The settings of a Neo4j transaction: timeout in milliseconds, metadata shown in Neo4j's logs. */
export interface TransactionSettings {
  timeout?: number;
  metadata?: Record<string, unknown>;
}

/**
 * Where a read goes and how: the driver, the database, and the transaction settings of the request it
 * serves (src/server/request-contract.ts), so that a read times out as a generated query does.
 */
export interface ReadTarget {
  driver: Driver;
  database: string;
  transaction?: TransactionSettings;
}

/**
 * Runs `work` in one managed read transaction of a session of its own, with `settings` (by default the
 * target's: the request's timeout and metadata), and closes the session. Through `session.executeRead`
 * (not `driver.executeQuery`) so that a timed driver sees its time; a retryable failure runs `work`
 * again, as executeRead does. Throws what the driver or `work` throws (Neo4jError with Neo4j's code,
 * e.g. a transaction timeout).
 */
export async function readTransaction<T>(
  target: ReadTarget,
  work: (tx: ManagedTransaction) => Promise<T>,
  settings: TransactionSettings | undefined = target.transaction,
): Promise<T> {
  const session = target.driver.session({
    database: target.database,
    defaultAccessMode: neo4j.session.READ,
    // As driver.executeQuery does: a read after a write of the same process sees that write (clusters).
    bookmarkManager: target.driver.executeQueryBookmarkManager,
  });
  try {
    return await session.executeRead(work, settings);
  } finally {
    await session.close();
  }
}

/**
 * Runs one read query in a read transaction with the target's settings (readTransaction); rows as
 * plain objects. Throws what the driver throws.
 */
export async function readQuery<T extends RecordShape = RecordShape>(
  target: ReadTarget,
  cypher: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const { records } = await readTransaction(target, (tx) => tx.run(cypher, params));
  return records.map((record) => record.toObject() as T);
}
