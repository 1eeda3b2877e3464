import { graphql } from "../generated/gql.js";

/**
 * The explore pages' operations: only the public API (generated and analysis queries), typed by
 * `graphql-codegen --config web/codegen.ts`.
 */

export const ExploreProjectsQuery = graphql(`
  query ExploreProjects($where: ProjectWhere, $sort: [ProjectSort!], $limit: Int!, $offset: Int!) {
    projects(where: $where, sort: $sort, limit: $limit, offset: $offset) {
      id
      acronym
      title
      startYear
      status
      funding
      fundingOriginal
      fundingCurrency
    }
    projectsConnection(where: $where, first: 0) {
      totalCount
    }
  }
`);

/**
 * Every matching project's funding (EUR, or as the source states it in another currency), a page at a
 * time: the list's totals, one per currency, are summed from all of them.
 */
export const ExploreFundingQuery = graphql(`
  query ExploreFunding($where: ProjectWhere, $offset: Int!) {
    projects(where: $where, sort: [{ id: ASC }], limit: 500, offset: $offset) {
      id
      funding
      fundingOriginal
      fundingCurrency
    }
  }
`);

export const ExploreCountryQuery = graphql(`
  query ExploreCountry(
    $id: ID!
    $filters: AnalysisFilters
    $topicIds: [ID!]
    $programmeIds: [ID!]
    $fromYear: Int
    $toYear: Int
    $pmRelevance: [String!]
  ) {
    countries(where: { id: { eq: $id } }) {
      id
      code
      name
      officialName
      region
      subRegion
      population
      populationYear
      funders {
        id
        name
        acronym
      }
      organisationsConnection(first: 0) {
        totalCount
      }
      sources {
        id
        title
        url
        publisher
        date
      }
    }
    amount: fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR, filters: $filters) {
      rows {
        key
        total
        outsideColumns
      }
      coverage {
        statement
      }
    }
    projectCount: fundingMatrix(rows: COUNTRY, columns: YEAR, measure: PROJECTS, filters: $filters) {
      rows {
        key
        total
        outsideColumns
      }
    }
    collaborationNetwork(
      level: COUNTRY
      topicIds: $topicIds
      programmeIds: $programmeIds
      fromYear: $fromYear
      toYear: $toYear
      pmRelevance: $pmRelevance
      limit: 5000
    ) {
      nodes {
        key
        label
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
  }
`);

export const ExploreOrganisationQuery = graphql(`
  query ExploreOrganisation($id: ID!) {
    organisations(where: { id: { eq: $id } }) {
      id
      name
      shortName
      kind
      city
      website
      cordisId
      sme
      country(limit: 1) {
        id
        name
      }
      sources {
        id
        title
        url
        publisher
        date
      }
    }
  }
`);

/** An organisation's participations (role, EU contribution) with their projects' years, 200 at a time. */
export const ExploreParticipationsQuery = graphql(`
  query ExploreParticipations($id: ID!, $after: String, $topicIds: [ID!], $byTopic: Boolean!) {
    organisations(where: { id: { eq: $id } }) {
      projectsConnection(first: 200, after: $after, sort: [{ node: { id: ASC } }]) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          properties {
            role
            contribution
          }
          node {
            id
            startYear
            pmRelevance
            topics(where: { id: { in: $topicIds } }, limit: 50) @include(if: $byTopic) {
              id
            }
          }
        }
      }
    }
  }
`);

/** Who else takes part in an organisation's projects, 40 projects at a time. */
export const ExplorePartnersQuery = graphql(`
  query ExplorePartners($where: ProjectWhere, $offset: Int!) {
    projects(where: $where, sort: [{ id: ASC }], limit: 40, offset: $offset) {
      id
      participants(limit: 400) {
        id
        name
      }
    }
  }
`);

export const ExploreProjectQuery = graphql(`
  query ExploreProject($id: ID!) {
    projects(where: { id: { eq: $id } }) {
      id
      acronym
      title
      startDate
      endDate
      startYear
      status
      totalCost
      funding
      fundingScheme
      objective
      keywords
      grantDoi
      grantReference
      pmRelevance
      programmes(limit: 10) {
        id
        name
        acronym
        kind
        partOf(limit: 5) {
          id
          name
          acronym
        }
        funders(limit: 20) {
          id
          name
          acronym
        }
      }
      topics(limit: 100) {
        id
        name
        scheme
      }
      sources {
        id
        title
        url
        publisher
        date
      }
    }
  }
`);

/** A project's participants in the source's order, with role, EU contribution and country. */
export const ExploreParticipantsQuery = graphql(`
  query ExploreParticipants($id: ID!, $after: String) {
    projects(where: { id: { eq: $id } }) {
      participantsConnection(first: 100, after: $after, sort: [{ edge: { order: ASC } }]) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          properties {
            role
            contribution
            netContribution
            order
          }
          node {
            id
            name
            country(limit: 1) {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export const ExploreFunderQuery = graphql(`
  query ExploreFunder(
    $id: ID!
    $filters: AnalysisFilters
    $topicIds: [ID!]
    $programmeIds: [ID!]
    $fromYear: Int
    $toYear: Int
  ) {
    funders(where: { id: { eq: $id } }) {
      id
      name
      acronym
      kind
      website
      region
      country {
        id
        name
      }
      consortiaConnection {
        edges {
          properties {
            status
            since
          }
          node {
            id
            name
            acronym
          }
        }
      }
      programmesConnection(first: 200) {
        edges {
          properties {
            commitment
          }
          node {
            id
            name
            acronym
            kind
          }
        }
      }
      sources {
        id
        title
        url
        publisher
        date
      }
    }
    amount: fundingMatrix(rows: FUNDER, columns: YEAR, measure: AMOUNT_EUR, filters: $filters) {
      rows {
        key
        total
        outsideColumns
      }
      coverage {
        statement
      }
    }
    projectCount: fundingMatrix(rows: FUNDER, columns: YEAR, measure: PROJECTS, filters: $filters) {
      rows {
        key
        total
        outsideColumns
      }
    }
    collaborationNetwork(
      level: FUNDER
      topicIds: $topicIds
      programmeIds: $programmeIds
      fromYear: $fromYear
      toYear: $toYear
      limit: 5000
    ) {
      nodes {
        key
        label
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
  }
`);

export const ExploreConsortiumQuery = graphql(`
  query ExploreConsortium($id: ID!) {
    consortia(where: { id: { eq: $id } }) {
      id
      name
      acronym
      kind
      founded
      website
      description
      statedMemberCount
      statedMemberCountQualifier
      statedSizeStatement
      statedSizeAsOf
      membersConnection {
        totalCount
        edges {
          properties {
            status
            since
          }
          node {
            id
            name
            acronym
            country {
              id
              name
            }
          }
        }
      }
      programmes(limit: 500) {
        id
        name
        acronym
        kind
        startYear
      }
      supportedBy {
        id
        acronym
        title
      }
      sources {
        id
        title
        url
        publisher
        date
      }
    }
  }
`);

export const ExploreProgrammeQuery = graphql(`
  query ExploreProgramme($id: ID!) {
    programmes(where: { id: { eq: $id } }) {
      id
      name
      acronym
      kind
      startYear
      endYear
      budget
      budgetNote
      website
      description
      partOf {
        id
        name
        acronym
      }
      parts(limit: 500) {
        id
        name
        acronym
      }
      fundersConnection {
        edges {
          properties {
            commitment
          }
          node {
            id
            name
            acronym
          }
        }
      }
      runBy {
        id
        name
        acronym
      }
      sources {
        id
        title
        url
        publisher
        date
      }
    }
  }
`);
