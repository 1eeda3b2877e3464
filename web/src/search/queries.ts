import { graphql } from "../generated/gql.js";

/**
 * The search box's one request: the API's full-text search fields (names and acronyms, any spelling of
 * accents, Lucene syntax searched as plain words: the server escapes it) of the five kinds of entity a
 * person looks for, and the same five looked up by exact id (`$id`: the typed text, so that a pasted id
 * such as `funder:dfg` is found too).
 */
export const EntitySearchQuery = graphql(`
  query EntitySearch($phrase: String!, $id: ID!, $first: Int!) {
    searchFunders(phrase: $phrase, first: $first) {
      edges {
        score
        node {
          id
          name
          acronym
        }
      }
    }
    searchOrganisations(phrase: $phrase, first: $first) {
      edges {
        score
        node {
          id
          name
          shortName
        }
      }
    }
    searchProjects(phrase: $phrase, first: $first) {
      edges {
        score
        node {
          id
          acronym
          title
        }
      }
    }
    searchProgrammes(phrase: $phrase, first: $first) {
      edges {
        score
        node {
          id
          name
          acronym
        }
      }
    }
    searchConsortia(phrase: $phrase, first: $first) {
      edges {
        score
        node {
          id
          name
          acronym
        }
      }
    }
    funders(where: { id: { eq: $id } }, limit: 1) {
      id
      name
      acronym
    }
    organisations(where: { id: { eq: $id } }, limit: 1) {
      id
      name
      shortName
    }
    projects(where: { id: { eq: $id } }, limit: 1) {
      id
      acronym
      title
    }
    programmes(where: { id: { eq: $id } }, limit: 1) {
      id
      name
      acronym
    }
    consortia(where: { id: { eq: $id } }, limit: 1) {
      id
      name
      acronym
    }
  }
`);
