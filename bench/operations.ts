import type { Driver } from "neo4j-driver";
import neo4j from "neo4j-driver";
import type { AnalysisContext } from "../src/analysis/analysis-context.js";
import type { NetworkArgs } from "../src/analysis/collaboration-network.js";
import type { MatrixArgs } from "../src/analysis/funding-matrix.js";

export interface BenchOperation {
  name: string;
  /** Whether @neo4j/graphql generates the query (the 1.3x overhead target applies to these). */
  generated: boolean;
  graphql: string;
  /** The variables of the cached measurement (the same request again). */
  variables: Record<string, unknown>;
  /**
   * Analyses: the variables of the `i`-th uncached request, varied (year ranges) so that no cache can
   * answer a request from an earlier one (issue 19); absent: `variables` every time.
   */
  vary?: (i: number) => Record<string, unknown>;
  /**
   * The same answer as hand-written Cypher (or, for analysis, the same Cypher called directly): in the
   * same order, ties broken by id as the API breaks them (stable-paging.ts), since a page that differs
   * at a tie is not the same answer.
   */
  cypher: (driver: Driver, variables: Record<string, unknown>) => Promise<unknown>;
}

/** Year ranges within the generated landscape's 2014..2024, 24 different ones in turn. */
export const variedYears = (i: number) => ({
  fromYear: 2014 + (i % 6),
  toYear: 2024 - (Math.floor(i / 6) % 4),
});
const years = (variables: Record<string, unknown>) => ({
  fromYear: variables.fromYear as number | undefined,
  toYear: variables.toYear as number | undefined,
});

const read = (driver: Driver, cypher: string, params: Record<string, unknown> = {}) =>
  driver.executeQuery(cypher, params, { database: "neo4j", routing: neo4j.routing.READ });

/**
 * The benchmark's operations. `analysis` computes the analyses' direct side: raw Cypher (the test
 * oracle, test/helpers/cypher-oracle.ts, as the analyses read before the projection was their one engine).
 */
export function operations(analysis: {
  collaborationNetwork: (context: AnalysisContext, args: NetworkArgs) => Promise<unknown>;
  fundingMatrix: (context: AnalysisContext, args: MatrixArgs) => Promise<unknown>;
  context: AnalysisContext;
}): BenchOperation[] {
  const projectId = "cordis:900000042";
  return [
    {
      name: "entity lookup by id",
      generated: true,
      graphql: "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title startDate funding } }",
      variables: { id: projectId },
      cypher: (d) =>
        read(d, "MATCH (p:Project {id: $id}) RETURN p {.id, .title, .startDate, .funding}", {
          id: projectId,
        }),
    },
    {
      name: "filtered, sorted page of projects",
      generated: true,
      graphql:
        "query Q { projectsConnection(first: 20, where: { startYear: { gte: 2020 } }, sort: [{ funding: DESC }]) { edges { node { id acronym funding } } } }",
      variables: {},
      cypher: (d) =>
        read(
          d,
          "MATCH (p:Project) WHERE p.startYear >= 2020 RETURN p {.id, .acronym, .funding} ORDER BY p.funding DESC, p.id LIMIT 20",
        ),
    },
    {
      name: "project with participants and countries",
      generated: true,
      graphql:
        "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title participantsConnection { edges { properties { role contribution } node { id name country { code } } } } } }",
      variables: { id: projectId },
      cypher: (d) =>
        read(
          d,
          `MATCH (p:Project {id: $id})
           RETURN p {.id, .title, participants: COLLECT { MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p)
             RETURN {role: r.role, contribution: r.contribution, id: o.id, name: o.name, country: COLLECT { MATCH (o)-[:LOCATED_IN]->(c:Country) RETURN c.code ORDER BY c.id }} ORDER BY o.id }}`,
          { id: projectId },
        ),
    },
    {
      name: "full-text search",
      generated: true,
      graphql:
        'query Q { searchProjects(phrase: "genomic", first: 10) { edges { score node { id title } } } }',
      variables: {},
      cypher: (d) =>
        read(
          d,
          "CALL db.index.fulltext.queryNodes('ProjectSearch', 'genomic') YIELD node, score WHERE node:Project RETURN node {.id, .title}, score ORDER BY score DESC, node.id LIMIT 10",
        ),
    },
    {
      name: "collaboration network, countries",
      generated: false,
      graphql:
        "query Q($fromYear: Int, $toYear: Int) { collaborationNetwork(level: COUNTRY, limit: 500, fromYear: $fromYear, toYear: $toYear) { nodes { key weight } edges { source target weight } } }",
      variables: {},
      vary: variedYears,
      cypher: (_d, v) =>
        analysis.collaborationNetwork(analysis.context, { level: "COUNTRY", limit: 500, ...years(v) }),
    },
    {
      name: "collaboration network, organisations",
      generated: false,
      graphql:
        "query Q($fromYear: Int, $toYear: Int) { collaborationNetwork(level: ORGANISATION, limit: 500, fromYear: $fromYear, toYear: $toYear) { nodes { key weight } edges { source target weight } } }",
      variables: {},
      vary: variedYears,
      cypher: (_d, v) =>
        analysis.collaborationNetwork(analysis.context, { level: "ORGANISATION", limit: 500, ...years(v) }),
    },
    {
      name: "funding matrix, country x year",
      generated: false,
      graphql:
        "query Q($fromYear: Int, $toYear: Int) { fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR, filters: { fromYear: $fromYear, toYear: $toYear }) { cells { row column value } } }",
      variables: {},
      vary: variedYears,
      cypher: (_d, v) =>
        analysis.fundingMatrix(analysis.context, {
          rows: "COUNTRY",
          columns: "YEAR",
          measure: "AMOUNT_EUR",
          filters: years(v),
        }),
    },
    {
      name: "funding matrix, country x topic",
      generated: false,
      graphql:
        "query Q($fromYear: Int, $toYear: Int) { fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, filters: { fromYear: $fromYear, toYear: $toYear }) { cells { row column value } } }",
      variables: {},
      vary: variedYears,
      cypher: (_d, v) =>
        analysis.fundingMatrix(analysis.context, {
          rows: "COUNTRY",
          columns: "TOPIC",
          measure: "AMOUNT_EUR",
          filters: years(v),
        }),
    },
  ];
}
