import { type AnalysisContext, readQuery } from "../analysis/analysis-context.js";
import { DATA_VERSION_ID } from "../db/data-version.js";

type RequestContext = { contract?: { analysis: AnalysisContext } };

/**
 * The root query `dataVersion` (schema/imports.graphql): read from the graph's DataVersion node with the
 * request's driver and transaction settings; `{version: 0, updatedAt: null}` before the first change.
 */
export function dataVersionResolvers() {
  return {
    Query: {
      dataVersion: async (_: unknown, _args: unknown, request: RequestContext) => {
        const analysis = request.contract?.analysis;
        if (!analysis)
          throw new Error("no request contract in the GraphQL context (startHttpServer builds it)");
        const rows = await readQuery<{ version: unknown; updatedAt: unknown }>(
          analysis,
          "MATCH (v:DataVersion {id: $id}) RETURN v.version AS version, v.updatedAt AS updatedAt",
          { id: DATA_VERSION_ID },
        );
        const row = rows[0];
        if (!row) return { version: 0, updatedAt: null };
        return {
          version: Number(row.version),
          updatedAt: row.updatedAt ? new Date(String(row.updatedAt)).toISOString() : null,
        };
      },
    },
  };
}
