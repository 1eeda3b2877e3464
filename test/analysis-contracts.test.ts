import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { writeAnalysisFixture } from "./fixtures/analysis-fixture.js";
import { clearDatabase, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/**
 * The contracts of issue 13 on the hand-checked fixture (test/fixtures/analysis-fixture.ts): every
 * expected number is worked out by hand from its table.
 */
describe("issue 13: analysis contracts on the hand-checked fixture", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field against literals
  const query = (q: string, variables?: Record<string, unknown>): Promise<any> =>
    postGraphQL(atlas.http.url, q, variables).then(expectData);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await writeAnalysisFixture(driver);
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  describe("issue 13.7: the funder network applies the project filters to its project counts", () => {
    const funders = `query F($toYear: Int, $fromYear: Int, $topicIds: [ID!]) {
      collaborationNetwork(level: FUNDER, toYear: $toYear, fromYear: $fromYear, topicIds: $topicIds) {
        edges { source target weight projects } sourceCount
      }
    }`;

    it("toYear 2021 keeps call1 (starts 2021) and, of its projects, only P1 (2021), not P2 (2022)", async () => {
      const { collaborationNetwork: n } = await query(funders, { toYear: 2021 });
      expect(n.edges).toEqual([{ source: "fx:F1", target: "fx:F2", weight: 1, projects: 1 }]);
      // Records behind the numbers: call1 (no source) and P1 (S1).
      expect(n.sourceCount).toBe(1);
    });

    it("fromYear 2022 keeps call2 (starts 2022, no end year) and its projects P3 (2022) and P4 (2023)", async () => {
      const { collaborationNetwork: n } = await query(funders, { fromYear: 2022 });
      // call1 starts 2021 and has no end year: it counts in 2021 only.
      expect(n.edges).toEqual([{ source: "fx:F1", target: "fx:F2", weight: 1, projects: 2 }]);
      expect(n.sourceCount).toBe(2); // P3: S2, P4: S3
    });

    it("a topic filter keeps the programmes covering it and the projects addressing it", async () => {
      // Only call1 COVERS tA; of its projects P1 and P2 address tA.
      const { collaborationNetwork: n } = await query(funders, { topicIds: ["fx:tA"] });
      expect(n.edges).toEqual([{ source: "fx:F1", target: "fx:F2", weight: 1, projects: 2 }]);
    });
  });

  describe("issue 13.8: sourceCount counts the sources behind the numbers returned", () => {
    it("a network cut to one edge counts the sources of the listed nodes' projects", async () => {
      // All three country edges weigh 1; by ids DE-ES comes first. DE counts P1, P2; ES P2, P3: S1, S2.
      const { collaborationNetwork: one } = await query(
        "{ collaborationNetwork(level: COUNTRY, limit: 1) { nodes { key } sourceCount totalEdges } }",
      );
      expect(one.nodes.map((node: { key: string }) => node.key)).toEqual(["country:DE", "country:ES"]);
      expect(one.sourceCount).toBe(2);
      // fromYear 2023 leaves P4 (IT alone): no edge, no node, no number, no source.
      const { collaborationNetwork: none } = await query(
        "{ collaborationNetwork(level: COUNTRY, fromYear: 2023) { nodes { key } sourceCount } }",
      );
      expect(none).toEqual({ nodes: [], sourceCount: 0 });
    });

    it("a matrix counts the sources of the projects in its rows", async () => {
      const matrix = `query M($filters: AnalysisFilters) {
        fundingMatrix(rows: COUNTRY, columns: TOPIC, filters: $filters) { sourceCount } }`;
      // tB: P2 (S1), P3 (S2).
      expect((await query(matrix, { filters: { topicIds: ["fx:tB"] } })).fundingMatrix.sourceCount).toBe(2);
      // All four projects: S1, S2, S3.
      expect(
        (await query(matrix, { filters: { topicIds: ["fx:tA", "fx:tB"] } })).fundingMatrix.sourceCount,
      ).toBe(3);
    });

    it("a trend counts the sources of the projects in its points", async () => {
      const trend = `query T($filters: AnalysisFilters) { fundingTrend(groupBy: COUNTRY, filters: $filters) { sourceCount } }`;
      expect((await query(trend, { filters: { fromYear: 2023 } })).fundingTrend.sourceCount).toBe(1); // P4: S3
      expect((await query(trend, { filters: { fromYear: 2022 } })).fundingTrend.sourceCount).toBe(3); // P2 S1, P3 S2, P4 S3
    });

    it("a gap counts the sources of its subject and of the records searched", async () => {
      const { fundingGaps } = await query(
        `{ fundingGaps(consortiumId: "fx:K") { kind subjectId topicId sourceCount } }`,
      );
      const count = (kind: string, subject: string) =>
        fundingGaps.find(
          (gap: { kind: string; subjectId: string }) => gap.kind === kind && gap.subjectId === subject,
        ).sourceCount;
      // tC has no project linked at all: a coverage caveat about tC alone (issue 18), and tC has no source.
      expect(count("TOPIC_NOT_COVERED", "fx:tC")).toBe(0);
      // The member countries' participations: P1, P2 (S1), P3 (S2).
      expect(count("BELOW_POPULATION_SHARE", "country:ES")).toBe(2);
      // F3 and its programme fw (S1).
      expect(count("FUNDER_WITHOUT_PARTNER", "fx:F3")).toBe(1);
    });
  });

  describe("issue 13.9: unknown topic schemes and one argumentName convention", () => {
    it.each([
      [
        `{ fundingMatrix(rows: COUNTRY, columns: TOPIC, filters: { topicScheme: "NOPE" }) { sourceCount } }`,
        "filters.topicScheme",
      ],
      [
        `{ fundingTrend(groupBy: TOPIC, filters: { topicScheme: "legal_basis" }) { sourceCount } }`,
        "filters.topicScheme",
      ],
      [
        `{ fundingMatrix(rows: COUNTRY, columns: YEAR, filters: { fromYear: 3000 }) { sourceCount } }`,
        "filters.fromYear",
      ],
      [
        `{ fundingMatrix(rows: COUNTRY, columns: YEAR, filters: { topicIds: ["fx:nope"] }) { sourceCount } }`,
        "filters.topicIds",
      ],
      [`{ fundingTrend(groupBy: COUNTRY, filters: { fromYear: 3000 }) { sourceCount } }`, "filters.fromYear"],
      [`{ fundingTrend(groupBy: COUNTRY, fromYear: 3000) { sourceCount } }`, "fromYear"],
      [
        `{ fundingTrend(groupBy: COUNTRY, filters: { programmeIds: ["fx:nope"] }) { sourceCount } }`,
        "filters.programmeIds",
      ],
      [`{ fundingGaps(consortiumId: "fx:K", fromYear: 2024, toYear: 2020) { kind } }`, "fromYear"],
      [`{ networkMetrics(level: COUNTRY, toYear: 1899) { key } }`, "toYear"],
      [`{ export(format: CSV, level: COUNTRY, limit: 0) }`, "limit"],
    ])(
      "%s is BAD_USER_INPUT with argumentName %s, the argument's path as written",
      async (q, argumentName) => {
        const response = await postGraphQL(atlas.http.url, q);
        expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
        expect(response.errors?.[0]?.message.startsWith(`${argumentName}: `)).toBe(true);
      },
    );

    it("a known scheme without topics is an empty matrix, not an error", async () => {
      const { fundingMatrix } = await query(
        `{ fundingMatrix(rows: COUNTRY, columns: TOPIC, filters: { topicScheme: "EUROSCIVOC" }) { columns { key } } }`,
      );
      expect(fundingMatrix.columns).toEqual([]);
    });
  });
});
