import type { AnalysisContext } from "../analysis/analysis-context.js";
import type { AnswerCache } from "../analysis/answer-cache.js";

type RequestContext = { contract?: { analysis: AnalysisContext; answers: AnswerCache } };

/**
 * The root query `dataVersion` (schema/imports.graphql): the version the request's analysis answers
 * were computed at (the request's one read of the DataVersion node, answer-cache.ts), so that a client
 * that files answers under their version never files an answer under another version's number;
 * `{version: 0, updatedAt: null}` before the first change.
 */
export function dataVersionResolvers() {
  return {
    Query: {
      dataVersion: async (_: unknown, _args: unknown, request: RequestContext) => {
        const contract = request.contract;
        if (!contract?.analysis)
          throw new Error("no request contract in the GraphQL context (startHttpServer builds it)");
        // The token is `<version>@<updatedAt ISO or "never">` (graphDataVersion).
        const token = await contract.answers.versionOf(contract.analysis);
        const at = token.indexOf("@");
        const updatedAt = token.slice(at + 1);
        return {
          version: Number(token.slice(0, at)),
          updatedAt: updatedAt === "never" ? null : updatedAt,
        };
      },
    },
  };
}
