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

/** Who co-funds with whom: funders linked by the transnational calls they both fund. */
export const CoFundingQuery = graphql(`
  query DashboardCoFunding($fromYear: Int, $toYear: Int, $minCalls: Int, $includeEuropeanCommission: Boolean) {
    coFundingNetwork(
      fromYear: $fromYear
      toYear: $toYear
      minCalls: $minCalls
      includeEuropeanCommission: $includeEuropeanCommission
    ) {
      description
      sourceCount
      coverage {
        statement
      }
      commitmentsStated
      commitmentsMissing
      nodes {
        key
        label
        country
        calls
      }
      edges {
        source
        target
        calls
        callKeys
        commitments {
          currency
          amount
        }
        callsWithoutCommitment
      }
      calls {
        key
        label
        year
      }
    }
  }
`);

/** The countries, for the portfolio panel's choice. */
export const CountriesQuery = graphql(`
  query DashboardCountries {
    countries(sort: [{ name: ASC }], limit: 500) {
      id
      name
    }
  }
`);

export const PortfolioQuery = graphql(`
  query DashboardPortfolio(
    $level: PortfolioLevel!
    $id: ID!
    $filters: AnalysisFilters
    $byTier: Boolean
    $limit: Int = 10
    $projectCap: Int = 0
  ) {
    portfolioSimilarity(
      level: $level
      id: $id
      filters: $filters
      byTier: $byTier
      limit: $limit
      projectCap: $projectCap
    ) {
      key
      label
      projects
      topics
      compared
      description
      sourceCount
      coverage {
        statement
      }
      mostSimilar {
        key
        label
        similarity
        projects
        sharedTopics {
          key
          label
          projects
          otherProjects
        }
      }
      leastSimilar {
        key
        label
        similarity
        projects
        sharedTopics {
          key
          label
          projects
          otherProjects
        }
      }
    }
  }
`);

export const CommunitiesQuery = graphql(`
  query DashboardCommunities(
    $level: NetworkLevel!
    $topicIds: [ID!]
    $fromYear: Int
    $toYear: Int
    $funderIds: [ID!]
    $pmRelevance: [String!]
    $quality: CommunityQuality
    $resolution: Float
    $seed: Int
  ) {
    networkCommunities(
      level: $level
      topicIds: $topicIds
      fromYear: $fromYear
      toYear: $toYear
      funderIds: $funderIds
      pmRelevance: $pmRelevance
      quality: $quality
      resolution: $resolution
      seed: $seed
    ) {
      quality
      resolution
      seed
      value
      description
      sourceCount
      coverage {
        statement
      }
      communities {
        index
        size
        members
        internalWeight
        totalWeight
      }
      stability {
        runs
        meanAgreement
        minAgreement
        identicalRuns
        minValue
        maxValue
      }
    }
    # The members' names (every node of the whole network).
    networkMetrics(
      level: $level
      topicIds: $topicIds
      fromYear: $fromYear
      toYear: $toYear
      funderIds: $funderIds
      pmRelevance: $pmRelevance
    ) {
      key
      label
    }
  }
`);

/** The start years the filtered projects span: the series' default range when no year is chosen. */
export const YearSpanQuery = graphql(`
  query DashboardYearSpan($filters: AnalysisFilters) {
    coverage(filters: $filters) {
      fromYear
      toYear
    }
  }
`);

export const SeriesQuery = graphql(`
  query DashboardSeries(
    $level: NetworkLevel!
    $fromYear: Int!
    $toYear: Int!
    $windowYears: Int
    $topicIds: [ID!]
    $funderIds: [ID!]
    $pmRelevance: [String!]
  ) {
    networkSeries(
      level: $level
      fromYear: $fromYear
      toYear: $toYear
      windowYears: $windowYears
      topicIds: $topicIds
      funderIds: $funderIds
      pmRelevance: $pmRelevance
      limit: 1
    ) {
      description
      coverage {
        statement
      }
      windows {
        fromYear
        toYear
        nodeKeys
        totalEdges
        joined
        left
        edgesJoined
        edgesLeft
        sourceCount
      }
    }
    # The nodes' names: every node of a window is a node of the whole range's network.
    networkMetrics(
      level: $level
      topicIds: $topicIds
      fromYear: $fromYear
      toYear: $toYear
      funderIds: $funderIds
      pmRelevance: $pmRelevance
    ) {
      key
      label
    }
  }
`);
