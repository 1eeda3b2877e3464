import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../src/analysis/analysis-context.js";
import { coFundingNetwork } from "../src/analysis/co-funding-network.js";
import { type AppliedThreshold, type CoverageRequest, coverageOf } from "../src/analysis/coverage.js";
import {
  type AnalysisFilters,
  type CheckedFilters,
  DEFAULT_TOPIC_SCHEME,
  inFilters,
  projectFilterParams,
} from "../src/analysis/project-filters.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { REL } from "../src/model/relationships.js";
import { createLogger } from "../src/util/logger.js";
import { oracleCoverage } from "./helpers/cypher-oracle.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { countingStore, pickFilterValues, pickIds, sharedFilterSets } from "./helpers/projection-fixtures.js";

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
  let counter: ReturnType<typeof countingStore>;
  const oracle = (): AnalysisContext => ({ driver, database: TEST_DATABASE });
  const projected = (): AnalysisContext => ({ driver, database: TEST_DATABASE, projections: counter.store });
  const filterSets: AnalysisFilters[] = [{}];
  /** Parameter maps sent as they are, not through projectFilterParams. */
  const directParams: { name: string; params: CheckedFilters }[] = [];
  const memberships: CoverageRequest["memberships"][] = ["ALL", null];

  const pick = (cypher: string) => pickIds(driver, cypher);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, silent);
    counter = countingStore(driver);
    const picked = await pickFilterValues(driver);
    const { topics, parents, funders, tiers } = picked;
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
    filterSets.push(...sharedFilterSets(picked), ...(tiers.length > 1 ? [{ pmRelevance: tiers }] : []));
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
        counter.reset();
        const answer = await coverageOf(projected(), request);
        expect(counter.asked(), `the projection answered: ${name}`).toBe(1);
        expect(answer, name).toEqual(await oracleCoverage(oracle(), request));
      }
      expect(counter.built()).toBe(1);
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
