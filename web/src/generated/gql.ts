/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DashboardNetwork(\n    $level: NetworkLevel!\n    $topicIds: [ID!]\n    $fromYear: Int\n    $toYear: Int\n    $minWeight: Float = 1\n    # sigma draws thousands of edges at ease, and 2,000 keeps every pair of ~60 countries: the country\n    # network is drawn whole; larger organisation networks are cut to their strongest links, and say so.\n    $limit: Int = 2000\n  ) {\n    collaborationNetwork(\n      level: $level\n      topicIds: $topicIds\n      fromYear: $fromYear\n      toYear: $toYear\n      minWeight: $minWeight\n      limit: $limit\n    ) {\n      description\n      sourceCount\n      nodes {\n        key\n        label\n        kind\n        weight\n      }\n      edges {\n        source\n        target\n        weight\n        projects\n        amountEur\n      }\n      totalEdges\n    }\n    # Metrics of the whole network, whatever the limit of edges drawn.\n    networkMetrics(level: $level, topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear, minWeight: $minWeight) {\n      key\n      label\n      degree\n      weightedDegree\n      betweenness\n      pageRank\n      community\n    }\n  }\n": typeof types.DashboardNetworkDocument,
    "\n  query DashboardMatrix($normalise: Normalisation!, $filters: AnalysisFilters) {\n    fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, normalise: $normalise, filters: $filters) {\n      description\n      sourceCount\n      topicsWithoutLinkedProjects\n      rows {\n        key\n        label\n        total\n      }\n      columns {\n        key\n        label\n        total\n      }\n      cells {\n        row\n        column\n        value\n      }\n    }\n  }\n": typeof types.DashboardMatrixDocument,
    "\n  query DashboardTrend($groupBy: TrendGroup!, $filters: AnalysisFilters) {\n    fundingTrend(groupBy: $groupBy, filters: $filters) {\n      description\n      sourceCount\n      series {\n        key\n        label\n        points {\n          year\n          amountEur\n          projects\n        }\n      }\n    }\n  }\n": typeof types.DashboardTrendDocument,
    "\n  query DashboardTopics($scheme: String!) {\n    topics(where: { scheme: { eq: $scheme } }, sort: [{ name: ASC }], limit: 500) {\n      id\n      name\n    }\n  }\n": typeof types.DashboardTopicsDocument,
    "\n  query DashboardLenses {\n    topicLenses {\n      key\n      name\n      scheme\n      topicsWithoutLinkedProjects\n    }\n  }\n": typeof types.DashboardLensesDocument,
    "\n  query DashboardConsortia {\n    consortia(sort: [{ name: ASC }], limit: 500) {\n      id\n      name\n      acronym\n    }\n  }\n": typeof types.DashboardConsortiaDocument,
    "\n  query DashboardGaps($consortiumId: ID!, $topicIds: [ID!], $fromYear: Int, $toYear: Int) {\n    fundingGaps(consortiumId: $consortiumId, topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear) {\n      kind\n      subjectId\n      subjectLabel\n      topicId\n      expected\n      actual\n      reason\n      sourceCount\n      membershipComplete\n    }\n  }\n": typeof types.DashboardGapsDocument,
};
const documents: Documents = {
    "\n  query DashboardNetwork(\n    $level: NetworkLevel!\n    $topicIds: [ID!]\n    $fromYear: Int\n    $toYear: Int\n    $minWeight: Float = 1\n    # sigma draws thousands of edges at ease, and 2,000 keeps every pair of ~60 countries: the country\n    # network is drawn whole; larger organisation networks are cut to their strongest links, and say so.\n    $limit: Int = 2000\n  ) {\n    collaborationNetwork(\n      level: $level\n      topicIds: $topicIds\n      fromYear: $fromYear\n      toYear: $toYear\n      minWeight: $minWeight\n      limit: $limit\n    ) {\n      description\n      sourceCount\n      nodes {\n        key\n        label\n        kind\n        weight\n      }\n      edges {\n        source\n        target\n        weight\n        projects\n        amountEur\n      }\n      totalEdges\n    }\n    # Metrics of the whole network, whatever the limit of edges drawn.\n    networkMetrics(level: $level, topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear, minWeight: $minWeight) {\n      key\n      label\n      degree\n      weightedDegree\n      betweenness\n      pageRank\n      community\n    }\n  }\n": types.DashboardNetworkDocument,
    "\n  query DashboardMatrix($normalise: Normalisation!, $filters: AnalysisFilters) {\n    fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, normalise: $normalise, filters: $filters) {\n      description\n      sourceCount\n      topicsWithoutLinkedProjects\n      rows {\n        key\n        label\n        total\n      }\n      columns {\n        key\n        label\n        total\n      }\n      cells {\n        row\n        column\n        value\n      }\n    }\n  }\n": types.DashboardMatrixDocument,
    "\n  query DashboardTrend($groupBy: TrendGroup!, $filters: AnalysisFilters) {\n    fundingTrend(groupBy: $groupBy, filters: $filters) {\n      description\n      sourceCount\n      series {\n        key\n        label\n        points {\n          year\n          amountEur\n          projects\n        }\n      }\n    }\n  }\n": types.DashboardTrendDocument,
    "\n  query DashboardTopics($scheme: String!) {\n    topics(where: { scheme: { eq: $scheme } }, sort: [{ name: ASC }], limit: 500) {\n      id\n      name\n    }\n  }\n": types.DashboardTopicsDocument,
    "\n  query DashboardLenses {\n    topicLenses {\n      key\n      name\n      scheme\n      topicsWithoutLinkedProjects\n    }\n  }\n": types.DashboardLensesDocument,
    "\n  query DashboardConsortia {\n    consortia(sort: [{ name: ASC }], limit: 500) {\n      id\n      name\n      acronym\n    }\n  }\n": types.DashboardConsortiaDocument,
    "\n  query DashboardGaps($consortiumId: ID!, $topicIds: [ID!], $fromYear: Int, $toYear: Int) {\n    fundingGaps(consortiumId: $consortiumId, topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear) {\n      kind\n      subjectId\n      subjectLabel\n      topicId\n      expected\n      actual\n      reason\n      sourceCount\n      membershipComplete\n    }\n  }\n": types.DashboardGapsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardNetwork(\n    $level: NetworkLevel!\n    $topicIds: [ID!]\n    $fromYear: Int\n    $toYear: Int\n    $minWeight: Float = 1\n    # sigma draws thousands of edges at ease, and 2,000 keeps every pair of ~60 countries: the country\n    # network is drawn whole; larger organisation networks are cut to their strongest links, and say so.\n    $limit: Int = 2000\n  ) {\n    collaborationNetwork(\n      level: $level\n      topicIds: $topicIds\n      fromYear: $fromYear\n      toYear: $toYear\n      minWeight: $minWeight\n      limit: $limit\n    ) {\n      description\n      sourceCount\n      nodes {\n        key\n        label\n        kind\n        weight\n      }\n      edges {\n        source\n        target\n        weight\n        projects\n        amountEur\n      }\n      totalEdges\n    }\n    # Metrics of the whole network, whatever the limit of edges drawn.\n    networkMetrics(level: $level, topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear, minWeight: $minWeight) {\n      key\n      label\n      degree\n      weightedDegree\n      betweenness\n      pageRank\n      community\n    }\n  }\n"): typeof import('./graphql').DashboardNetworkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardMatrix($normalise: Normalisation!, $filters: AnalysisFilters) {\n    fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, normalise: $normalise, filters: $filters) {\n      description\n      sourceCount\n      topicsWithoutLinkedProjects\n      rows {\n        key\n        label\n        total\n      }\n      columns {\n        key\n        label\n        total\n      }\n      cells {\n        row\n        column\n        value\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardMatrixDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardTrend($groupBy: TrendGroup!, $filters: AnalysisFilters) {\n    fundingTrend(groupBy: $groupBy, filters: $filters) {\n      description\n      sourceCount\n      series {\n        key\n        label\n        points {\n          year\n          amountEur\n          projects\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardTrendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardTopics($scheme: String!) {\n    topics(where: { scheme: { eq: $scheme } }, sort: [{ name: ASC }], limit: 500) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').DashboardTopicsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardLenses {\n    topicLenses {\n      key\n      name\n      scheme\n      topicsWithoutLinkedProjects\n    }\n  }\n"): typeof import('./graphql').DashboardLensesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardConsortia {\n    consortia(sort: [{ name: ASC }], limit: 500) {\n      id\n      name\n      acronym\n    }\n  }\n"): typeof import('./graphql').DashboardConsortiaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardGaps($consortiumId: ID!, $topicIds: [ID!], $fromYear: Int, $toYear: Int) {\n    fundingGaps(consortiumId: $consortiumId, topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear) {\n      kind\n      subjectId\n      subjectLabel\n      topicId\n      expected\n      actual\n      reason\n      sourceCount\n      membershipComplete\n    }\n  }\n"): typeof import('./graphql').DashboardGapsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
