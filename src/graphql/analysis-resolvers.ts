import type { AnalysisContext } from "../analysis/analysis-context.js";
import { collaborationNetwork, type NetworkArgs } from "../analysis/collaboration-network.js";
import { fundingGaps } from "../analysis/funding-gaps.js";
import {
  type AnalysisFilters,
  fundingMatrix,
  type MatrixColumns,
  type MatrixMeasure,
  type MatrixRows,
  type Normalisation,
} from "../analysis/funding-matrix.js";
import { fundingTrend, type TrendGroup } from "../analysis/funding-trend.js";
import { type ExportFormat, exportNetwork } from "../analysis/network-export.js";
import { metricsOf, networkMetrics } from "../analysis/network-metrics.js";
import { shortestPath } from "../analysis/shortest-path.js";

/** Thin resolvers of the analysis queries (schema/analysis.graphql): the work is in src/analysis. */
export function analysisResolvers(context: AnalysisContext) {
  return {
    Query: {
      collaborationNetwork: (_: unknown, args: NetworkArgs) => collaborationNetwork(context, args),
      networkMetrics: (_: unknown, args: NetworkArgs) => networkMetrics(context, args),
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
      export: async (_: unknown, args: NetworkArgs & { format: ExportFormat }) => {
        const network = await collaborationNetwork(context, args);
        return exportNetwork(args.format, network, metricsOf(network));
      },
    },
  };
}
