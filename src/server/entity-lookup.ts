import { type AnalysisContext, readQuery } from "../analysis/analysis-context.js";

/**
 * Whether a node with this id (any entity: the `Entity` label and its unique `id`) is in the graph: one
 * index lookup in a read transaction of the request's contract (`contract.analysis`: its timed driver,
 * transaction timeout and metadata), so that a public page's lookup is held to ATLAS_QUERY_TIMEOUT_MS and
 * counted in `dbMs` like every other read of a request. Throws what the driver throws (Neo4j
 * unavailable, QUERY_TIMEOUT).
 */
export async function entityExists(id: string, context: AnalysisContext): Promise<boolean> {
  const [row] = await readQuery<{ found: boolean }>(
    context,
    "MATCH (n:Entity {id: $id}) RETURN count(n) > 0 AS found",
    { id },
  );
  return row?.found === true;
}
