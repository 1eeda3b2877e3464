import type { ReadTarget } from "../db/read-query.js";
import type { ProjectionStore } from "./projection-store.js";

/**
 * What every analysis needs: the driver and the database, and the transaction settings of the request
 * it serves (src/server/request-contract.ts), so that an analysis times out as a generated query does.
 * Queries are reads, routed to readers.
 */
export interface AnalysisContext extends ReadTarget {
  /**
   * The server's analysis projection (projection-store.ts). Absent (a direct call, the benchmark's
   * Cypher side): every analysis reads the graph with Cypher.
   */
  projections?: ProjectionStore;
}

/** Neo4j integers as plain numbers (src/db/neo4j-number.ts), re-exported for the analyses. */
export { toNumber } from "../db/neo4j-number.js";
/** The analyses' read (src/db/read-query.ts) and its settings, re-exported beside their context. */
export { readQuery, type TransactionSettings } from "../db/read-query.js";
