import type { AnalysisContext } from "../analysis/analysis-context.js";
import { type AnswerCache, cachedWholeNetwork } from "../analysis/answer-cache.js";
import {
  checkedLimit,
  cutNetwork,
  type NetworkArgs,
  type NetworkDefinition,
  type WholeNetwork,
} from "../analysis/collaboration-network.js";
import { fundingGaps } from "../analysis/funding-gaps.js";
import {
  fundingMatrix,
  type MatrixColumns,
  type MatrixMeasure,
  type MatrixRows,
  type Normalisation,
} from "../analysis/funding-matrix.js";
import { fundingTrend, type TrendGroup } from "../analysis/funding-trend.js";
import { type ExportFormat, exportNetwork } from "../analysis/network-export.js";
import { metricsOf } from "../analysis/network-metrics.js";
import type { AnalysisFilters } from "../analysis/project-filters.js";
import { shortestPath } from "../analysis/shortest-path.js";
import { topicLenses } from "../analysis/topic-lenses.js";

/**
 * The GraphQL context as a resolver sees it: the request contract (src/server/request-contract.ts) gives
 * the analysis its driver, database and transaction settings (timeout, metadata), the same as the
 * generated queries of the request run with.
 */
type RequestContext = { contract: { analysis: AnalysisContext; answers: AnswerCache } };

/** The analysis context of a request; a server that did not build a contract is a bug, said plainly. */
function analysisOf(request: RequestContext): AnalysisContext {
  const analysis = request.contract?.analysis;
  if (!analysis) throw new Error("no request contract in the GraphQL context (startHttpServer builds it)");
  return analysis;
}

/**
 * One whole collaboration network per request and definition (the display `limit` is not part of it):
 * a client (the dashboard) that asks for a network and its metrics in one request has it computed once,
 * not once per field. @neo4j/graphql hands each resolver its own copy of the context, so the request is
 * recognised by the contract the copies share.
 */
function sharedNetworks() {
  const byRequest = new WeakMap<object, Map<string, Promise<WholeNetwork>>>();
  return (request: RequestContext, args: NetworkDefinition): Promise<WholeNetwork> => {
    const context = analysisOf(request);
    const scope = request.contract;
    const networks = byRequest.get(scope) ?? new Map<string, Promise<WholeNetwork>>();
    byRequest.set(scope, networks);
    const { level, topicIds, programmeIds, fromYear, toYear, minWeight } = args;
    const key = JSON.stringify([level, topicIds, programmeIds, fromYear, toYear, minWeight]);
    let network = networks.get(key);
    if (!network) {
      network = cachedWholeNetwork(request.contract.answers, context, args);
      networks.set(key, network);
    }
    return network;
  };
}

/**
 * The answer of one analysis from the server's answer cache (answer-cache.ts): computed once per data
 * version and arguments, whoever asks.
 */
function cached<A, T>(
  request: RequestContext,
  analysis: string,
  args: A,
  run: (context: AnalysisContext, args: A) => Promise<T>,
): Promise<T> {
  const context = analysisOf(request);
  return request.contract.answers.answer(context, analysis, args, () => run(context, args));
}

/** Thin resolvers of the analysis queries (schema/analysis.graphql): the work is in src/analysis. */
export function analysisResolvers() {
  const networkFor = sharedNetworks();
  return {
    Query: {
      topicLenses: (_: unknown, _args: unknown, request: RequestContext) => topicLenses(analysisOf(request)),
      collaborationNetwork: async (_: unknown, args: NetworkArgs, request: RequestContext) => {
        const limit = checkedLimit(args.limit);
        // The cut (its sourceCount reads the listed nodes' sources) is cached too: the same request
        // again at an unchanged data version is then answered from memory whole (issue 19).
        return cached(request, "collaborationNetwork", args, async (context) =>
          cutNetwork(context, await networkFor(request, args), limit),
        );
      },
      networkMetrics: async (_: unknown, args: NetworkDefinition, request: RequestContext) =>
        metricsOf(await networkFor(request, args)),
      shortestPath: (
        _: unknown,
        args: { fromId: string; toId: string; maxHops?: number },
        request: RequestContext,
      ) => cached(request, "shortestPath", args, shortestPath),
      fundingMatrix: (
        _: unknown,
        args: {
          rows: MatrixRows;
          columns: MatrixColumns;
          measure: MatrixMeasure;
          normalise?: Normalisation;
          filters?: AnalysisFilters;
        },
        request: RequestContext,
      ) => cached(request, "fundingMatrix", args, fundingMatrix),
      fundingGaps: (
        _: unknown,
        args: { consortiumId: string; topicIds?: string[]; fromYear?: number; toYear?: number },
        request: RequestContext,
      ) => cached(request, "fundingGaps", args, fundingGaps),
      fundingTrend: (
        _: unknown,
        args: { groupBy: TrendGroup; fromYear?: number; toYear?: number; filters?: AnalysisFilters },
        request: RequestContext,
      ) => cached(request, "fundingTrend", args, fundingTrend),
      export: async (_: unknown, args: NetworkArgs & { format: ExportFormat }, request: RequestContext) => {
        const limit = checkedLimit(args.limit);
        const whole = await networkFor(request, args);
        return exportNetwork(
          args.format,
          await cutNetwork(analysisOf(request), whole, limit),
          metricsOf(whole),
        );
      },
    },
  };
}
