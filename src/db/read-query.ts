import neo4j, { type Driver, type RecordShape } from "neo4j-driver";

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
 * Runs one read query in a read transaction with the target's settings; rows as plain objects.
 * Through `session.executeRead` (not `driver.executeQuery`) so that a timed driver sees its time.
 * Throws what the driver throws (Neo4jError with Neo4j's code, e.g. a transaction timeout).
 */
export async function readQuery<T extends RecordShape = RecordShape>(
  target: ReadTarget,
  cypher: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const session = target.driver.session({
    database: target.database,
    defaultAccessMode: neo4j.session.READ,
    // As driver.executeQuery does: a read after a write of the same process sees that write (clusters).
    bookmarkManager: target.driver.executeQueryBookmarkManager,
  });
  try {
    const { records } = await session.executeRead((tx) => tx.run(cypher, params), target.transaction);
    return records.map((record) => record.toObject() as T);
  } finally {
    await session.close();
  }
}
