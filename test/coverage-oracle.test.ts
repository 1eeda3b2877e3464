import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../src/analysis/analysis-context.js";
import { graphDataVersion } from "../src/analysis/answer-cache.js";
import { coFundingNetwork } from "../src/analysis/co-funding-network.js";
import { type AppliedThreshold, type CoverageRequest, coverageOf } from "../src/analysis/coverage.js";
import {
  type AnalysisFilters,
  type CheckedFilters,
  DEFAULT_TOPIC_SCHEME,
  inFilters,
  projectFilterParams,
} from "../src/analysis/project-filters.js";
import { ProjectionStore } from "../src/analysis/projection-store.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { REL } from "../src/model/relationships.js";
import { createLogger } from "../src/util/logger.js";
import { oracleCoverage } from "./helpers/cypher-oracle.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";

// coverageOf counts its population (projects, start years, top-level programmes, sources) on the
// analysis projection; its oracle is the Cypher it ran before (test/helpers/cypher-oracle.ts
// oracleCoverage), in which Neo4j evaluates PROJECT_FILTER and the PART_OF hierarchy itself. Both read
// the seed as the real importers load it; the filter values below are picked from that graph.

const silent = createLogger("silent");
const SLOW = 1_800_000;

/** Parameters as a caller that builds them itself sends them (coFundingNetwork): no id is checked. */
const direct = (filters: Partial<CheckedFilters>): CheckedFilters => ({
  fromYear: null,
  toYear: null,
  topicIds: null,
  programmeIds: null,
  topicScheme: DEFAULT_TOPIC_SCHEME,
  pmRelevance: null,
  funderIds: null,
  ...filters,
});

const threshold: AppliedThreshold = {
  name: "minPopulation",
  value: 100_000,
  unit: "inhabitants",
  excludedIds: ["country:XX"],
  excludedLabels: ["Nowhere"],
  description: "Countries under 100,000 inhabitants are left out.",
};

describe("coverageOf agrees with the Cypher oracle on the imported seed", () => {
  let driver: Driver;
  let store: ProjectionStore;
  let asked = 0;
  let built = 0;
  const oracle = (): AnalysisContext => ({ driver, database: TEST_DATABASE });
  const projected = (): AnalysisContext => ({ driver, database: TEST_DATABASE, projections: store });
  const filterSets: AnalysisFilters[] = [{}];
  /** Parameter maps sent as they are, not through projectFilterParams. */
  const directParams: { name: string; params: CheckedFilters }[] = [];
  const memberships: CoverageRequest["memberships"][] = ["ALL", null];

  const pick = async (cypher: string) => {
    const session = driver.session({ database: TEST_DATABASE });
    try {
      return (await session.run(cypher)).records.map((record) => record.get(0) as string);
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, silent);
    store = new ProjectionStore({
      driver,
      database: TEST_DATABASE,
      readVersion: graphDataVersion,
      onBuilt: () => {
        built++;
      },
    });
    const current = store.current.bind(store);
    store.current = (context) => {
      asked++;
      return current(context);
    };
    const topics = await pick(
      `MATCH (p:Project)-[:${REL.ADDRESSES}]->(t:Topic) RETURN t.id, count(p) AS n ORDER BY n DESC, t.id LIMIT 3`,
    );
    const parents = await pick(
      `MATCH (:Project)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}]->(g:Programme) RETURN DISTINCT g.id ORDER BY g.id LIMIT 1`,
    );
    const calls = await pick(
      `MATCH (:Project)-[:${REL.FUNDED_UNDER}]->(g:Programme) RETURN g.id, count(*) AS n ORDER BY n DESC, g.id LIMIT 2`,
    );
    const funders = await pick(
      `MATCH (p:Project)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(:Programme)-[:${REL.FUNDED_BY}]->(f:Funder)
       RETURN f.id, count(DISTINCT p) AS n ORDER BY n DESC, f.id LIMIT 3`,
    );
    const tiers = await pick(
      "MATCH (p:Project) WHERE p.pmRelevance IS NOT NULL RETURN DISTINCT p.pmRelevance ORDER BY p.pmRelevance",
    );
    // Transnational calls with projects recorded under them or under their calls, as coFundingNetwork sends them.
    const transnational = await pick(
      `MATCH (g:Programme {kind: 'TRANSNATIONAL_CALL'})
       RETURN g.id, COUNT { (:Project)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(g) } AS n
       ORDER BY n DESC, g.id LIMIT 6`,
    );
    const consortia = await pick(
      "MATCH (k:Consortium) RETURN k.id ORDER BY k.statedMemberCount IS NULL, k.id LIMIT 1",
    );
    expect(topics.length).toBeGreaterThan(0);
    expect(parents.length).toBeGreaterThan(0);
    expect(funders.length).toBeGreaterThan(0);
    expect(transnational.length).toBeGreaterThan(1);
    expect(consortia.length).toBe(1);
    memberships.push(consortia[0]!);
    filterSets.push(
      { fromYear: 2022 },
      { fromYear: 2021, toYear: 2022 },
      { topicIds: topics.slice(0, 2) },
      { programmeIds: parents },
      { programmeIds: calls.slice(1) },
      { fromYear: 2022, topicIds: topics.slice(1), programmeIds: [...parents, ...calls] },
      { funderIds: funders.slice(0, 1) },
      { funderIds: funders, fromYear: 2022, topicIds: topics.slice(0, 1) },
      // Empty: no project starts in 2099.
      { fromYear: 2099 },
      ...(tiers.length ? [{ pmRelevance: tiers.slice(0, 1) }, { pmRelevance: tiers }] : []),
    );
    directParams.push(
      { name: "transnational calls", params: direct({ programmeIds: transnational }) },
      { name: "one transnational call", params: direct({ programmeIds: transnational.slice(-1) }) },
      // What coFundingNetwork sends for a window without calls.
      {
        name: "an impossible programme",
        params: direct({ programmeIds: ["programme:(no call in the window)"] }),
      },
    );
    for (const [fromYear, toYear] of [
      [null, null],
      [2018, 2025],
    ] as const) {
      const network = await coFundingNetwork(projected(), {
        fromYear,
        toYear,
        includeEuropeanCommission: true,
      });
      directParams.push({
        name: `coFundingNetwork ${fromYear}-${toYear}`,
        params: network.coverageRequest.params as CheckedFilters,
      });
    }
  }, SLOW);
  afterAll(async () => {
    await driver?.close();
  });

  it(
    "gives the oracle's coverage for every filter set and membership, from the projection",
    async () => {
      const requests: { name: string; request: CoverageRequest }[] = [];
      for (const filters of filterSets) {
        const params = await projectFilterParams(oracle(), filters, inFilters);
        for (const member of memberships)
          requests.push({
            name: JSON.stringify({ filters, member }),
            request: { params, memberships: member, thresholds: member === null ? [threshold] : [] },
          });
      }
      for (const { name, params } of directParams)
        requests.push({ name, request: { params, memberships: null, thresholds: [] } });
      for (const { name, request } of requests) {
        asked = 0;
        const answer = await coverageOf(projected(), request);
        expect(asked, `the projection answered: ${name}`).toBe(1);
        expect(answer, name).toEqual(await oracleCoverage(oracle(), request));
      }
      expect(built).toBe(1);
    },
    SLOW,
  );

  it(
    "compares non-empty populations: every part has rows unfiltered and under the transnational calls",
    async () => {
      const all = await oracleCoverage(oracle(), {
        params: await projectFilterParams(oracle(), {}, inFilters),
        memberships: "ALL",
        thresholds: [],
      });
      expect(all.projects).toBeGreaterThan(0);
      expect(all.fromYear).not.toBeNull();
      expect(all.programmes.length).toBeGreaterThan(1);
      expect(all.sources.length).toBeGreaterThan(1);
      expect(all.sources.some((source) => source.date !== null || source.newestContentUpdate !== null)).toBe(
        true,
      );
      expect(all.programmes.reduce((sum, g) => sum + g.projects, 0)).toBeGreaterThan(0);
      const calls = directParams.find((d) => d.name === "transnational calls")!;
      const underCalls = await oracleCoverage(oracle(), {
        params: calls.params,
        memberships: null,
        thresholds: [],
      });
      expect(underCalls.projects).toBeGreaterThan(0);
      expect(underCalls.projects).toBeLessThan(all.projects);
      const impossible = directParams.find((d) => d.name === "an impossible programme")!;
      expect(
        (await coverageOf(projected(), { params: impossible.params, memberships: null, thresholds: [] }))
          .projects,
      ).toBe(0);
    },
    SLOW,
  );
});
