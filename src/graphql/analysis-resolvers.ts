import type { AnalysisContext } from "../analysis/analysis-context.js";
import {
  checkedLimit,
  cutNetwork,
  type NetworkArgs,
  type NetworkDefinition,
  type WholeNetwork,
  wholeNetwork,
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

/** The GraphQL context as a resolver sees it: its request log context is the one object per request. */
type RequestContext = { log?: object };

/**
 * One whole collaboration network per request and definition (the display `limit` is not part of it):
 * a client (the dashboard) that asks for a network and its metrics in one request has it computed once,
 * not once per field. @neo4j/graphql hands each resolver its own copy of the context, so the request is
 * recognised by the log context the copies share.
 */
function sharedNetworks(context: AnalysisContext) {
  const byRequest = new WeakMap<object, Map<string, Promise<WholeNetwork>>>();
  return (request: RequestContext, args: NetworkDefinition): Promise<WholeNetwork> => {
    const scope = request.log ?? request;
    const networks = byRequest.get(scope) ?? new Map<string, Promise<WholeNetwork>>();
    byRequest.set(scope, networks);
    const { level, topicIds, programmeIds, fromYear, toYear, minWeight } = args;
    const key = JSON.stringify([level, topicIds, programmeIds, fromYear, toYear, minWeight]);
    let network = networks.get(key);
    if (!network) {
      network = wholeNetwork(context, args);
      networks.set(key, network);
    }
    return network;
  };
}

/** Thin resolvers of the analysis queries (schema/analysis.graphql): the work is in src/analysis. */
export function analysisResolvers(context: AnalysisContext) {
  const networkFor = sharedNetworks(context);
  return {
    Query: {
      collaborationNetwork: async (_: unknown, args: NetworkArgs, request: RequestContext) => {
        const limit = checkedLimit(args.limit);
        return cutNetwork(context, await networkFor(request, args), limit);
      },
      networkMetrics: async (_: unknown, args: NetworkDefinition, request: RequestContext) =>
        metricsOf(await networkFor(request, args)),
      shortestPath: (_: unknown, args: { fromId: string; toId: string; maxHops?: number }) =>
        shortestPath(context, args),
      fundingMatrix: (
        _: unknown,
        args: {
          rows: MatrixRows;
          columns: MatrixColumns;
          measure: MatrixMeasure;
          normalise?: Normalisation;
          filters?: AnalysisFilters;
        },
      ) => fundingMatrix(context, args),
      fundingGaps: (
        _: unknown,
        args: { consortiumId: string; topicIds?: string[]; fromYear?: number; toYear?: number },
      ) => fundingGaps(context, args),
      fundingTrend: (
        _: unknown,
        args: { groupBy: TrendGroup; fromYear?: number; toYear?: number; filters?: AnalysisFilters },
      ) => fundingTrend(context, args),
      export: async (_: unknown, args: NetworkArgs & { format: ExportFormat }, request: RequestContext) => {
        const limit = checkedLimit(args.limit);
        const whole = await networkFor(request, args);
        return exportNetwork(args.format, await cutNetwork(context, whole, limit), metricsOf(whole));
      },
    },
  };
}
