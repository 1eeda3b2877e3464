import neo4j, { type Driver, type RecordShape } from "neo4j-driver";
import type { ProjectionStore } from "./projection-store.js";

/** The settings of a Neo4j transaction: timeout in milliseconds, metadata shown in Neo4j's logs. */
export interface TransactionSettings {
  timeout?: number;
  metadata?: Record<string, unknown>;
}

/**
 * What every analysis needs: the driver and the database, and the transaction settings of the request
 * it serves (src/server/request-contract.ts), so that an analysis times out as a generated query does.
 * Queries are reads, routed to readers.
 */
export interface AnalysisContext {
  driver: Driver;
  database: string;
  transaction?: TransactionSettings;
  /**
   * The server's analysis projection (projection-store.ts, issue 19). Absent (a direct call, the
   * benchmark's Cypher side): every analysis reads the graph with Cypher.
   */
  projections?: ProjectionStore;
}

/**
 * Runs one read query in a read transaction with the context's settings; rows as plain objects.
 * Through `session.executeRead` (not `driver.executeQuery`) so that a timed driver sees its time.
 */
export async function readQuery<T extends RecordShape = RecordShape>(
  context: AnalysisContext,
  cypher: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const session = context.driver.session({
    database: context.database,
    defaultAccessMode: neo4j.session.READ,
    // As driver.executeQuery does: a read after a write of the same process sees that write (clusters).
    bookmarkManager: context.driver.executeQueryBookmarkManager,
  });
  try {
    const { records } = await session.executeRead((tx) => tx.run(cypher, params), context.transaction);
    return records.map((record) => record.toObject() as T);
  } finally {
    await session.close();
  }
}

/** Neo4j integers as plain numbers (src/db/neo4j-number.ts), re-exported for the analyses. */
export { toNumber } from "../db/neo4j-number.js";
