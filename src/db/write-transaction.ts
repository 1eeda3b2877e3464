import type { ManagedTransaction } from "neo4j-driver";

/** A managed or an explicit transaction: writers only need to run queries in it. */
export type WriteTransaction = Pick<ManagedTransaction, "run">;

/**
 * Rows per `UNWIND` statement of a batched write: large enough that round trips do not dominate, small
 * enough that one statement's parameters stay a few megabytes.
 */
export const BATCH_SIZE = 10000;
