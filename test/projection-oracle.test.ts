import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../src/analysis/analysis-context.js";
import {
  collaborationNetwork,
  type NetworkArgs,
  type NetworkLevel,
  wholeNetwork,
} from "../src/analysis/collaboration-network.js";
import {
  fundingMatrix,
  type MatrixArgs,
  type MatrixColumns,
  type MatrixRows,
} from "../src/analysis/funding-matrix.js";
import { fundingProjectionFor } from "../src/analysis/funding-projection.js";
import { computeMetrics } from "../src/analysis/network-metrics.js";
import { projectedPortfolios } from "../src/analysis/portfolio-similarity.js";
import { type AnalysisFilters, inFilters, projectFilterParams } from "../src/analysis/project-filters.js";
import { analysisProjection, ProjectionStore } from "../src/analysis/projection-store.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { REL } from "../src/model/relationships.js";
import { createLogger } from "../src/util/logger.js";
import {
  oracleCollaborationNetwork,
  oracleFundingMatrix,
  oraclePortfolios,
  oracleWholeNetwork,
} from "./helpers/cypher-oracle.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { countingStore, pickFilterValues, pickIds, sharedFilterSets } from "./helpers/projection-fixtures.js";

// The analysis projection is the one engine of fundingMatrix, collaborationNetwork, networkMetrics,
// portfolioSimilarity and the exports. Its oracle is the Cypher that ran before (test/helpers/cypher-oracle.ts): Neo4j evaluates
// the filters, memberships and SAME_AS bodies itself. Both read the seed as the real importers load it
// (the CORDIS files, ICPerMed, the references); the filter values below are picked from that graph.

const silent = createLogger("silent");
const SLOW = 1_800_000;

describe("the analysis projection agrees with the Cypher oracle on the imported seed", () => {
  let driver: Driver;
  let counter: ReturnType<typeof countingStore>;
  const oracle = (): AnalysisContext => ({ driver, database: TEST_DATABASE });
  const projected = (): AnalysisContext => ({ driver, database: TEST_DATABASE, projections: counter.store });
  const filterSets: AnalysisFilters[] = [{}];
  let funders: string[] = [];
  let idle: string[] = [];

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, silent);
    counter = countingStore(driver);
    const picked = await pickFilterValues(driver);
    const { topics, parents } = picked;
    funders = picked.funders;
    idle = await pickIds(
      driver,
      `MATCH (f:Funder) WHERE NOT EXISTS { MATCH (:Project)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(:Programme)-[:${REL.FUNDED_BY}]->(f) }
       RETURN f.id ORDER BY f.id LIMIT 1`,
    );
    expect(topics.length).toBeGreaterThan(0);
    expect(parents.length).toBeGreaterThan(0);
    expect(funders.length).toBeGreaterThan(0);
    filterSets.push(
      ...sharedFilterSets(picked),
      { funderIds: funders.slice(1) },
      ...(idle.length ? [{ funderIds: idle }] : []),
    );
  }, SLOW);
  afterAll(async () => {
    await driver?.close();
  });

  it(
    "gives the oracle's funding matrix for every filter, funderIds included, and asks the projection for it",
    async () => {
      const rows: MatrixRows[] = ["COUNTRY", "FUNDER", "PROGRAMME"];
      const columns: MatrixColumns[] = ["TOPIC", "YEAR", "PROGRAMME"];
      const measures = ["AMOUNT_EUR", "PROJECTS", "PARTICIPATIONS"] as const;
      let compared = 0;
      for (const filters of filterSets) {
        for (const row of rows) {
          for (const column of columns) {
            const args: MatrixArgs = {
              rows: row,
              columns: column,
              measure: measures[compared % 3]!,
              filters,
            };
            counter.reset();
            const answer = await fundingMatrix(projected(), args);
            expect(counter.asked(), "the projection answered").toBe(1);
            expect(answer, JSON.stringify(args)).toEqual(await oracleFundingMatrix(oracle(), args));
            compared++;
          }
        }
        const perCapita: MatrixArgs = {
          rows: "COUNTRY",
          columns: "YEAR",
          measure: "AMOUNT_EUR",
          normalise: "PER_MILLION_INHABITANTS",
          minPopulation: 1_000_000,
          filters,
        };
        expect(await fundingMatrix(projected(), perCapita)).toEqual(
          await oracleFundingMatrix(oracle(), perCapita),
        );
      }
      expect(compared).toBe(filterSets.length * 9);
      // The funder filter is applied, not ignored: a funder of projects gives rows, a funder of no
      // project (when the seed has one) gives none, where the unfiltered matrix has rows.
      const byFunder = async (funderIds: string[] | undefined) =>
        (
          await fundingMatrix(projected(), {
            rows: "COUNTRY",
            columns: "YEAR",
            measure: "PROJECTS",
            filters: { funderIds },
          })
        ).rows;
      expect((await byFunder(undefined)).length).toBeGreaterThan(0);
      expect((await byFunder(funders.slice(0, 1))).length).toBeGreaterThan(0);
      if (idle.length) expect(await byFunder(idle)).toEqual([]);
      expect(counter.built()).toBe(1);
    },
    SLOW,
  );

  it(
    "gives the oracle's networks, cut inside ties or whole, and their metrics, for every filter",
    async () => {
      for (const filters of filterSets) {
        const { topicScheme: _, ...networkFilters } = filters;
        for (const level of ["COUNTRY", "ORGANISATION", "FUNDER"] as NetworkLevel[]) {
          if (level === "FUNDER" && networkFilters.pmRelevance) continue;
          for (const [limit, minWeight] of [
            [5000, 1],
            [3, 1],
            [500, 2],
          ] as const) {
            const args: NetworkArgs = { level, limit, minWeight, ...networkFilters };
            const { coverageRequest: __, ...answer } = await collaborationNetwork(projected(), args);
            expect(answer, JSON.stringify(args)).toEqual(await oracleCollaborationNetwork(oracle(), args));
          }
          // networkMetrics: the centralities of the whole network, the same nodes and edges in.
          const definition = { level, ...networkFilters };
          const whole = await wholeNetwork(projected(), definition);
          const reference = await oracleWholeNetwork(oracle(), definition);
          expect(computeMetrics(whole), JSON.stringify(definition)).toEqual(computeMetrics(reference));
        }
      }
      expect(counter.built()).toBe(1);
    },
    SLOW,
  );

  it(
    "gives the oracle's portfolios for every filter, funderIds included, by topic and by topic and tier",
    async () => {
      const { analysis, funding } = await fundingProjectionFor(projected());
      let entities = 0;
      for (const filters of filterSets) {
        const params = await projectFilterParams(oracle(), filters, inFilters);
        for (const level of ["COUNTRY", "FUNDER"] as const) {
          for (const byTier of [false, true]) {
            const args = { level, byTier };
            const answer = projectedPortfolios(analysis, funding, args, params);
            expect(answer, JSON.stringify({ ...args, filters })).toEqual(
              await oraclePortfolios(oracle(), args, params),
            );
            entities += answer.portfolios.size;
          }
        }
      }
      // Not a comparison of empty answers: the seed gives portfolios under most filters.
      expect(entities).toBeGreaterThan(filterSets.length * 4);
      expect(counter.built()).toBe(1);
    },
    SLOW,
  );

  it(
    "follows SAME_AS for funderIds and for FUNDER bodies as the oracle does (a curated link)",
    async () => {
      expect(funders.length).toBeGreaterThan(1);
      // A curator links the second funder to the first as one body (SAME_AS towards the canonical node).
      const session = driver.session({ database: TEST_DATABASE });
      try {
        await session.run(`MATCH (a:Funder {id: $a}), (b:Funder {id: $b}) MERGE (b)-[:${REL.SAME_AS}]->(a)`, {
          a: funders[0],
          b: funders[1],
        });
      } finally {
        await session.close();
      }
      // No store: each call reads its own projection of the graph as it now is.
      const own = oracle();
      for (const filters of [{ funderIds: funders.slice(1, 2) }, { funderIds: funders.slice(0, 1) }, {}]) {
        for (const rows of ["FUNDER", "COUNTRY"] as const) {
          const args: MatrixArgs = { rows, columns: "PROGRAMME", measure: "AMOUNT_EUR", filters };
          expect(await fundingMatrix(own, args), JSON.stringify(args)).toEqual(
            await oracleFundingMatrix(own, args),
          );
        }
        for (const level of ["FUNDER", "ORGANISATION"] as const) {
          const args = { level, limit: 50, ...filters };
          const { coverageRequest: _, ...answer } = await collaborationNetwork(own, args);
          expect(answer, JSON.stringify(args)).toEqual(await oracleCollaborationNetwork(own, args));
        }
        // Without a store the funding projection is read for the call alone, as the graph now is.
        const { analysis, funding } = await fundingProjectionFor(own);
        const params = await projectFilterParams(own, filters, inFilters);
        for (const level of ["FUNDER", "COUNTRY"] as const) {
          const args = { level, byTier: false };
          expect(projectedPortfolios(analysis, funding, args, params), JSON.stringify(args)).toEqual(
            await oraclePortfolios(own, args, params),
          );
        }
      }
      // The link widens the second funder's filter to the first funder's projects.
      const projects = async (funderIds: string[]) =>
        (
          await fundingMatrix(own, {
            rows: "PROGRAMME",
            columns: "YEAR",
            measure: "PROJECTS",
            filters: { funderIds },
          })
        ).columns.reduce((sum, column) => sum + column.total, 0);
      expect(await projects(funders.slice(1, 2))).toBeGreaterThanOrEqual(await projects(funders.slice(0, 1)));
    },
    SLOW,
  );

  it("answers from a projection of its own when the store's build saw a write commit", async () => {
    let reads = 0;
    const racing = new ProjectionStore({
      driver,
      database: TEST_DATABASE,
      readVersion: async () => `v${++reads}`,
    });
    expect(await racing.current(oracle())).toBeNull();
    const projection = await analysisProjection({ ...oracle(), projections: racing });
    expect(projection.projects.ids.length).toBeGreaterThan(0);
  });
});
