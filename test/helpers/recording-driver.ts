import type { Driver } from "neo4j-driver";
import type { AnalysisContext } from "../../src/analysis/analysis-context.js";

/** One query an analysis sent: its Cypher (indentation removed, so a snapshot shows text changes) and parameters. */
export interface RecordedQuery {
  cypher: string;
  params: Record<string, unknown>;
}

/** Rows the recording driver answers a query with; by default none. */
export type Responder = (cypher: string, params: Record<string, unknown>) => Record<string, unknown>[];

/**
 * An AnalysisContext whose driver runs nothing: it records each query and answers with `respond`'s
 * rows. For translation snapshots only (as neo4j/graphql's tck tests): what an analysis SENDS, never
 * what it computes; answers are tested against a real Neo4j in the integration project.
 */
export function recordingContext(respond: Responder = () => []): {
  context: AnalysisContext;
  queries: RecordedQuery[];
} {
  const queries: RecordedQuery[] = [];
  const run = async (cypher: string, params: Record<string, unknown> = {}) => {
    queries.push({
      cypher: cypher
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .join("\n"),
      params,
    });
    const rows = respond(cypher, params);
    return { records: rows.map((row) => ({ toObject: () => row })) };
  };
  const driver = {
    executeQueryBookmarkManager: undefined,
    session: () => ({
      executeRead: async (work: (tx: { run: typeof run }) => Promise<unknown>) => work({ run }),
      close: async () => {},
    }),
  } as unknown as Driver;
  return { context: { driver, database: "neo4j" }, queries };
}

/** Answers existence checks (`WHERE n.id IN $ids RETURN n.id AS id`) as if every id existed. */
export const everyIdExists: Responder = (cypher, params) =>
  /RETURN n\.id AS id$/.test(cypher.trim()) && Array.isArray(params.ids)
    ? (params.ids as string[]).map((id) => ({ id }))
    : [];
