import { describe, expect, it } from "vitest";
import { coverageOf } from "../../src/analysis/coverage.js";
import { fundingByFunder } from "../../src/analysis/funder-money.js";
import { fundingGaps } from "../../src/analysis/funding-gaps.js";
import { fundingTrend } from "../../src/analysis/funding-trend.js";
import {
  FILTER_VARIABLES,
  PROGRAMME_FILTER,
  PROJECT_FILTER,
  projectFilterParams,
} from "../../src/analysis/project-filters.js";
import { shortestPath } from "../../src/analysis/shortest-path.js";
import { topicLenses } from "../../src/analysis/topic-lenses.js";
import { oracleCollaborationNetwork, oracleFundingMatrix } from "../helpers/cypher-oracle.js";
import { everyIdExists, recordingContext } from "../helpers/recording-driver.js";

/**
 * Translation snapshots, as neo4j/graphql's tck tests: the Cypher and parameters each analysis sends,
 * so that a change to a query shows as a diff in review (test/unit/__snapshots__). They check no
 * answer: the answers are tested on a real Neo4j (test/analysis*.test.ts). After an intended query
 * change, `npx vitest run --project unit -u` rewrites them; read the diff before committing it.
 */
const filters = {
  fromYear: 2020,
  toYear: 2023,
  topicIds: ["topic:cancer"],
  programmeIds: ["programme:horizon"],
};

describe("analysis Cypher", () => {
  for (const groupBy of ["TOPIC", "COUNTRY", "PROGRAMME"] as const) {
    it(`fundingTrend ${groupBy}`, async () => {
      const { context, queries } = recordingContext(everyIdExists);
      await fundingTrend(context, { groupBy, fromYear: 2020, toYear: 2023 });
      expect(queries).toMatchSnapshot();
    });
  }

  it("fundingGaps", async () => {
    const { context, queries } = recordingContext(everyIdExists);
    await fundingGaps(context, {
      consortiumId: "consortium:icpermed",
      topicIds: ["topic:cancer"],
      fromYear: 2020,
    });
    expect(queries).toMatchSnapshot();
  });

  it("no analysis binds a name that the spliced filters bind inside their subqueries", async () => {
    // A query that bound `funder` around PROJECT_FILTER once turned a funder filter into "only this
    // funder's rows": the filter's own subquery read the outer variable. The matrix and network
    // Cypher is the tests' oracle of the analysis projection (test/helpers/cypher-oracle.ts).
    const { context, queries } = recordingContext(everyIdExists);
    const all = { ...filters, funderIds: ["funder:anr"] };
    for (const level of ["COUNTRY", "ORGANISATION", "FUNDER"] as const)
      await oracleCollaborationNetwork(context, { level, minWeight: 1, limit: 10, ...all });
    for (const rows of ["COUNTRY", "FUNDER", "PROGRAMME"] as const)
      for (const columns of ["TOPIC", "YEAR", "PROGRAMME"] as const)
        await oracleFundingMatrix(context, { rows, columns, measure: "AMOUNT_EUR", filters: all });
    for (const groupBy of ["TOPIC", "COUNTRY", "PROGRAMME", "FRAMEWORK_PROGRAMME"] as const)
      await fundingTrend(context, { groupBy, filters: all });
    await fundingByFunder(context, { filters: all });
    await fundingGaps(context, { consortiumId: "consortium:icpermed", topicIds: ["topic:cancer"] });
    await coverageOf(context, {
      params: await projectFilterParams(context, all),
      memberships: "ALL",
      thresholds: [],
    });
    expect(queries.length).toBeGreaterThan(20);
    for (const { cypher } of queries) {
      const flat = (text: string) => text.replace(/\s+/g, " ");
      const outside = flat(cypher)
        .replaceAll(flat(PROJECT_FILTER), "")
        .replaceAll(flat(PROGRAMME_FILTER), "");
      for (const name of FILTER_VARIABLES)
        expect(outside, cypher).not.toMatch(new RegExp(`[(,\\s]${name}\\s*[:)]`));
    }
  });

  it("shortestPath", async () => {
    const { context, queries } = recordingContext(everyIdExists);
    await shortestPath(context, { fromId: "funder:isciii", toId: "org:999866495", maxHops: 4 });
    expect(queries).toMatchSnapshot();
  });

  it("topicLenses", async () => {
    const { context, queries } = recordingContext();
    await topicLenses(context);
    expect(queries).toMatchSnapshot();
  });
});
