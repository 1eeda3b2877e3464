import { graphql } from "../generated/gql.js";

/**
 * The dashboard's operations: only the public API, typed by `graphql-codegen --config web/codegen.ts`
 * (run it after editing a document here).
 */

export const NetworkQuery = graphql(`
  query DashboardNetwork(
    $level: NetworkLevel!
    $topicIds: [ID!]
    $fromYear: Int
    $toYear: Int
    $funderIds: [ID!]
    $pmRelevance: [String!]
    $minWeight: Float = 1
    # sigma draws thousands of edges at ease, and 2,000 keeps every pair of ~60 countries: the country
    # network is drawn whole; larger organisation networks are cut to their strongest links, and say so.
    $limit: Int = 2000
  ) {
    collaborationNetwork(
      level: $level
      topicIds: $topicIds
      fromYear: $fromYear
      toYear: $toYear
      funderIds: $funderIds
      pmRelevance: $pmRelevance
      minWeight: $minWeight
      limit: $limit
    ) {
      description
      sourceCount
      coverage {
        statement
      }
      nodes {
        key
        label
        kind
        weight
      }
      edges {
        source
        target
        weight
        projects
        amountEur
      }
      totalEdges
    }
    # Metrics of the whole network, whatever the limit of edges drawn.
    networkMetrics(
      level: $level
      topicIds: $topicIds
      fromYear: $fromYear
      toYear: $toYear
      funderIds: $funderIds
      minWeight: $minWeight
    ) {
      key
      label
      degree
      weightedDegree
      betweenness
      pageRank
      community
    }
  }
`);

export const MatrixQuery = graphql(`
  query DashboardMatrix($normalise: Normalisation!, $filters: AnalysisFilters) {
    fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, normalise: $normalise, filters: $filters) {
      description
      sourceCount
      coverage {
        statement
      }
      topicsWithoutLinkedProjects
      rows {
        key
        label
        total
        outsideColumns
      }
      columns {
        key
        label
        total
      }
      cells {
        row
        column
        value
      }
    }
  }
`);

export const TrendQuery = graphql(`
  query DashboardTrend($groupBy: TrendGroup!, $filters: AnalysisFilters) {
    fundingTrend(groupBy: $groupBy, filters: $filters) {
      description
      sourceCount
      coverage {
        statement
      }
      series {
        key
        label
        points {
          year
          amountEur
          projects
        }
      }
    }
  }
`);

export const FunderMoneyQuery = graphql(`
  query DashboardFunderMoney($filters: AnalysisFilters) {
    fundingByFunder(filters: $filters) {
      description
      sourceCount
      coverage {
        statement
      }
      projectsWithSeveralFunders
      projectsWithoutAmount
      rows {
        country
        funderId
        funderLabel
        currency
        amount
        projects
      }
    }
  }
`);

/** Every funder (curated and OpenAIRE), for the funder filter and the money panel's full names. */
export const FundersQuery = graphql(`
  query DashboardFunders($limit: Int!) {
    funders(sort: [{ name: ASC }, { id: ASC }], limit: $limit) {
      id
      name
      acronym
    }
  }
`);

export const TopicsQuery = graphql(`
  query DashboardTopics($scheme: String!) {
    topics(where: { scheme: { eq: $scheme } }, sort: [{ name: ASC }], limit: 500) {
      id
      name
    }
  }
`);

export const LensesQuery = graphql(`
  query DashboardLenses {
    topicLenses {
      key
      name
      scheme
      topicsWithoutLinkedProjects
      relevanceTiers {
        tier
        description
        projects
      }
    }
  }
`);

export const ConsortiaQuery = graphql(`
  query DashboardConsortia {
    consortia(sort: [{ name: ASC }], limit: 500) {
      id
      name
      acronym
    }
  }
`);

export const GapsQuery = graphql(`
  query DashboardGaps(
    $consortiumId: ID!
    $topicIds: [ID!]
    $fromYear: Int
    $toYear: Int
    $pmRelevance: [String!]
  ) {
    fundingGaps(
      consortiumId: $consortiumId
      topicIds: $topicIds
      fromYear: $fromYear
      toYear: $toYear
      pmRelevance: $pmRelevance
    ) {
      kind
      subjectId
      subjectLabel
      topicId
      expected
      actual
      reason
      sourceCount
      membershipComplete
      dataGap
    }
    coverage(filters: { topicIds: $topicIds, fromYear: $fromYear, toYear: $toYear, pmRelevance: $pmRelevance }, consortiumId: $consortiumId) {
      statement
    }
  }
`);
