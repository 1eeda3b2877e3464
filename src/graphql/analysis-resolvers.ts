import type { AnalysisContext } from "../analysis/analysis-context.js";
import { type AnswerCache, cachedWholeNetwork, networkDefinitionOf } from "../analysis/answer-cache.js";
import { type CoFundingNetwork, coFundingNetwork } from "../analysis/co-funding-network.js";
import {
  checkedLimit,
  cutNetwork,
  type NetworkDefinition,
  type WholeNetwork,
} from "../analysis/collaboration-network.js";
import { type CoverageRequest, coverageOf, coverageStatement } from "../analysis/coverage.js";
import { fundingByFunder } from "../analysis/funder-money.js";
import { fundingGaps } from "../analysis/funding-gaps.js";
import { fundingMatrix } from "../analysis/funding-matrix.js";
import { fundingTrend } from "../analysis/funding-trend.js";
import { type NetworkCommunities, networkCommunities } from "../analysis/network-communities.js";
import { EXPORT_DEFAULT_LIMIT, exportNetwork } from "../analysis/network-export.js";
import { metricsOf } from "../analysis/network-metrics.js";
import { networkSeries } from "../analysis/network-series.js";
import { portfolioSimilarity } from "../analysis/portfolio-similarity.js";
import { assertIdsExist, inFilters, projectFilterParams } from "../analysis/project-filters.js";
import { shortestPath } from "../analysis/shortest-path.js";
import { topicLenses } from "../analysis/topic-lenses.js";
import type {
  QueryCoFundingNetworkArgs,
  QueryCollaborationNetworkArgs,
  QueryCoverageArgs,
  QueryExportArgs,
  QueryFundingByFunderArgs,
  QueryFundingGapsArgs,
  QueryFundingMatrixArgs,
  QueryFundingTrendArgs,
  QueryNetworkCommunitiesArgs,
  QueryNetworkMetricsArgs,
  QueryNetworkSeriesArgs,
  QueryPortfolioSimilarityArgs,
  QueryShortestPathArgs,
} from "../generated/graphql.js";

/**
 * The GraphQL context as a resolver sees it: the request contract (src/server/request-contract.ts) gives
 * the analysis its driver, database and transaction settings (timeout, metadata), the same as the
 * generated queries of the request run with, the server's answer cache, and the request's own memo of
 * whole networks.
 */
type RequestContext = {
  contract: {
    analysis: AnalysisContext;
    answers: AnswerCache;
    networks: Map<string, Promise<WholeNetwork>>;
  };
};

/** The request contract; a server that did not build one is a bug, said plainly. */
function contractOf(request: RequestContext): RequestContext["contract"] {
  const contract = request.contract;
  if (!contract?.analysis)
    throw new Error("no request contract in the GraphQL context (startHttpServer builds it)");
  return contract;
}

/**
 * One whole collaboration network per request and definition (the display `limit` is not part of it):
 * a client (the dashboard) that asks for a network and its metrics in one request has it computed once,
 * not once per field. @neo4j/graphql hands each resolver its own copy of the context; the copies share
 * the contract and so its `networks` memo.
 */
function networkFor(request: RequestContext, args: NetworkDefinition): Promise<WholeNetwork> {
  const contract = contractOf(request);
  const key = JSON.stringify(networkDefinitionOf(args));
  let network = contract.networks.get(key);
  if (!network) {
    network = cachedWholeNetwork(contract.answers, contract.analysis, args);
    contract.networks.set(key, network);
  }
  return network;
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
  const { analysis: context, answers } = contractOf(request);
  return answers.answer(context, analysis, args, () => run(context, args));
}

/**
 * Thin resolvers of the analysis queries (schema/analysis.graphql): the work is in src/analysis. The
 * argument types are generated from the schema (src/generated/graphql.ts), so an argument added to or
 * changed in the schema reaches the analysis function's type check here.
 */
export function analysisResolvers() {
  // Coverage is read only when a client selects it, and cached like the answers (its own reads).
  const coverage = (answer: { coverageRequest: CoverageRequest }, _: unknown, request: RequestContext) =>
    cached(request, "coverage", answer.coverageRequest, coverageOf);
  return {
    CollaborationNetwork: { coverage },
    FundingMatrix: { coverage },
    FunderMoney: { coverage },
    FundingTrend: { coverage },
    NetworkCommunities: { coverage },
    NetworkSeries: { coverage },
    PortfolioSimilarity: { coverage },
    // The calls' shortfalls (funders, commitments) are the answer's own: added to the projects' coverage.
    CoFundingNetwork: {
      coverage: async (answer: CoFundingNetwork, _: unknown, request: RequestContext) => {
        const { statement: _statement, ...base } = await coverage(answer, _, request);
        const withCalls = { ...base, missing: [...base.missing, ...answer.shortfalls] };
        return { ...withCalls, statement: coverageStatement(withCalls) };
      },
    },
    Query: {
      topicLenses: (_: unknown, _args: unknown, request: RequestContext) =>
        topicLenses(contractOf(request).analysis),
      collaborationNetwork: async (
        _: unknown,
        args: QueryCollaborationNetworkArgs,
        request: RequestContext,
      ) => {
        const limit = checkedLimit(args.limit);
        // The cut (its sourceCount reads the listed nodes' sources) is cached too: the same request
        // again at an unchanged data version is then answered from memory whole (issue 19).
        return cached(request, "collaborationNetwork", args, async () =>
          cutNetwork(await networkFor(request, args), limit),
        );
      },
      networkMetrics: async (_: unknown, args: QueryNetworkMetricsArgs, request: RequestContext) =>
        metricsOf(await networkFor(request, args)),
      networkCommunities: async (_: unknown, args: QueryNetworkCommunitiesArgs, request: RequestContext) =>
        cached(
          request,
          "networkCommunities",
          args,
          async (): Promise<NetworkCommunities> => networkCommunities(await networkFor(request, args), args),
        ),
      networkSeries: (_: unknown, args: QueryNetworkSeriesArgs, request: RequestContext) =>
        cached(request, "networkSeries", args, (context) =>
          networkSeries(context, args, (definition) => networkFor(request, definition)),
        ),
      portfolioSimilarity: (_: unknown, args: QueryPortfolioSimilarityArgs, request: RequestContext) =>
        cached(request, "portfolioSimilarity", args, portfolioSimilarity),
      shortestPath: (_: unknown, args: QueryShortestPathArgs, request: RequestContext) =>
        cached(request, "shortestPath", args, shortestPath),
      fundingMatrix: (_: unknown, args: QueryFundingMatrixArgs, request: RequestContext) =>
        cached(request, "fundingMatrix", args, fundingMatrix),
      fundingGaps: (_: unknown, args: QueryFundingGapsArgs, request: RequestContext) =>
        cached(request, "fundingGaps", args, fundingGaps),
      fundingByFunder: (_: unknown, args: QueryFundingByFunderArgs, request: RequestContext) =>
        cached(request, "fundingByFunder", args, fundingByFunder),
      coverage: (_: unknown, args: QueryCoverageArgs, request: RequestContext) =>
        cached(request, "coverage", args, async (context, { filters, consortiumId }) => {
          if (consortiumId) await assertIdsExist(context, [consortiumId], "Consortium", "consortiumId");
          return coverageOf(context, {
            params: await projectFilterParams(context, filters ?? {}, inFilters),
            memberships: consortiumId ?? "ALL",
            thresholds: [],
          });
        }),
      coFundingNetwork: (_: unknown, args: QueryCoFundingNetworkArgs, request: RequestContext) =>
        cached(request, "coFundingNetwork", args, coFundingNetwork),
      fundingTrend: (_: unknown, args: QueryFundingTrendArgs, request: RequestContext) =>
        cached(request, "fundingTrend", args, fundingTrend),
      export: async (_: unknown, args: QueryExportArgs, request: RequestContext) => {
        // The same default as GET /export/network.* (EXPORT_DEFAULT_LIMIT): the whole network.
        const limit = checkedLimit(args.limit ?? EXPORT_DEFAULT_LIMIT);
        const whole = await networkFor(request, args);
        return exportNetwork(args.format, cutNetwork(whole, limit), await metricsOf(whole));
      },
    },
  };
}
