import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../src/analysis/analysis-context.js";
import { graphDataVersion } from "../src/analysis/answer-cache.js";
import { collaborationNetwork } from "../src/analysis/collaboration-network.js";
import { fundingMatrix, type MatrixColumns, type MatrixRows } from "../src/analysis/funding-matrix.js";
import { ProjectionStore, projectionFor } from "../src/analysis/projection-store.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { CordisCopy } from "./helpers/cordis-copy.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";
import { logCapture } from "./helpers/log-capture.js";

const silent = createLogger("silent");
const countries = readCountryReference(`${defaultSeedDir()}/reference`);

const MATRIX = `{ fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR) { cells { row column value } } }`;
type Matrix = { fundingMatrix: { cells: { row: string; column: string; value: number }[] } };
const cell = (matrix: Matrix, row: string, column: string) =>
  matrix.fundingMatrix.cells.find((c) => c.row === row && c.column === column)?.value ?? 0;

/** The projections built, from the server's log ("analysis projection built", one line per version). */
const builds = (lines: string[]) =>
  lines
    .map((line) => JSON.parse(line) as { msg: string; version?: string })
    .filter((l) => l.msg === "analysis projection built");

describe("issue 19: analyses answered from the in-memory projection of the data version", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const capture = logCapture();
  const copy = new CordisCopy();
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, silent);
    // The answer cache off: every answer below is computed, from the projection.
    atlas = await startAtlas(testConfig({ answerCacheEntries: 0 }), createLogger("info", capture.stream));
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
    copy.remove();
  });

  it("answers a mutation's change in the very next request, from a projection rebuilt at the new version", async () => {
    const projects = copy.read("project.csv");
    const organisations = copy.read("organization.csv");
    const project = projects.find((p) =>
      organisations.some((o) => o.projectID === p.id && o.country === "DE" && Number(o.ecContribution) > 0),
    )!;
    const year = project.startDate!.slice(0, 4);
    const german = organisations
      .filter((o) => o.projectID === project.id && o.country === "DE")
      .reduce((sum, o) => sum + Number(o.ecContribution || 0), 0);
    const before = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));
    const builtBefore = builds(capture.lines).length;
    expect(builtBefore).toBeGreaterThan(0);

    const moved = await postGraphQL(
      atlas.http.url,
      `mutation { updateProjects(where: { id: { eq: "cordis:${project.id}" } }, update: { startDate: { set: "2099-01-01" } }) { projects { id } } }`,
      {},
      { authorization: `Bearer ${await adminToken()}` },
    );
    expect(moved.errors).toBeUndefined();
    const after = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));
    expect(builds(capture.lines).length).toBe(builtBefore + 1);
    expect(cell(after, "country:DE", year)).toBeCloseTo(cell(before, "country:DE", year) - german, 2);
    expect(cell(after, "country:DE", "2099")).toBeCloseTo(german, 2);

    // The network of 2099: the moved project alone links its countries, as the files list them.
    const network = expectData(
      await postGraphQL<{ collaborationNetwork: { nodes: { key: string; weight: number }[] } }>(
        atlas.http.url,
        "{ collaborationNetwork(level: COUNTRY, fromYear: 2099) { nodes { key weight } } }",
      ),
    );
    const its = [
      ...new Set(organisations.filter((o) => o.projectID === project.id && o.country).map((o) => o.country)),
    ];
    expect(network.collaborationNetwork.nodes.map((n) => n.key).sort()).toEqual(
      its.length > 1 ? its.map((code) => `country:${code}`).sort() : [],
    );
  });

  it("answers an import's change in the very next request", async () => {
    await loadSeed(driver, TEST_DATABASE, silent);
    const organisations = copy.read("organization.csv");
    const index = organisations.findIndex((o) => o.country === "FR" && Number(o.ecContribution) > 0);
    const row = organisations[index]!;
    const project = copy.read("project.csv").find((p) => p.id === row.projectID)!;
    const year = project.startDate!.slice(0, 4);
    const before = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));
    const builtBefore = builds(capture.lines).length;

    organisations[index] = { ...row, ecContribution: String(Number(row.ecContribution) + 1000.25) };
    copy.write("organization.csv", organisations);
    await runCordisImport(
      driver,
      TEST_DATABASE,
      copy.dir,
      { countries, dryRun: false, strict: false },
      silent,
    );
    const after = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));
    expect(builds(capture.lines).length).toBe(builtBefore + 1);
    expect(cell(after, "country:FR", year)).toBeCloseTo(cell(before, "country:FR", year) + 1000.25, 2);
  });
});

describe("issue 19: the projection and the Cypher path agree on the real seed import", () => {
  let driver: Driver;
  let store: ProjectionStore;
  let built = 0;
  const cypher = (): AnalysisContext => ({ driver, database: TEST_DATABASE });
  const projected = (): AnalysisContext => ({ driver, database: TEST_DATABASE, projections: store });
  const filterSets: Record<string, unknown>[] = [{}];

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
    // Filter values picked from the graph (inputs only; the expected answers are the Cypher path's).
    const session = driver.session({ database: TEST_DATABASE });
    try {
      const pick = async (cypherText: string) =>
        (await session.run(cypherText)).records.map((record) => record.get(0) as string);
      const topics = await pick(
        "MATCH (p:Project)-[:ADDRESSES]->(t:Topic) RETURN t.id, count(p) AS n ORDER BY n DESC, t.id LIMIT 3",
      );
      // A programme with calls PART_OF it (its projects are funded under the calls), and a call.
      const parents = await pick(
        "MATCH (:Project)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF]->(g:Programme) RETURN DISTINCT g.id ORDER BY g.id LIMIT 1",
      );
      const calls = await pick(
        "MATCH (:Project)-[:FUNDED_UNDER]->(g:Programme) RETURN g.id, count(*) AS n ORDER BY n DESC, g.id LIMIT 2",
      );
      const tiers = await pick(
        "MATCH (p:Project) WHERE p.pmRelevance IS NOT NULL RETURN DISTINCT p.pmRelevance",
      );
      const schemes = await pick("MATCH (t:Topic) RETURN DISTINCT t.scheme ORDER BY t.scheme");
      expect(topics.length).toBeGreaterThan(0);
      expect(parents.length).toBeGreaterThan(0);
      filterSets.push(
        { fromYear: 2022 },
        { toYear: 2023 },
        { fromYear: 2021, toYear: 2022 },
        { topicIds: topics.slice(0, 2) },
        { programmeIds: parents },
        { programmeIds: calls.slice(1) },
        { fromYear: 2022, topicIds: topics.slice(1), programmeIds: [...parents, ...calls] },
        ...(tiers.length ? [{ pmRelevance: tiers.slice(0, 1) }, { pmRelevance: tiers, fromYear: 2023 }] : []),
        ...schemes.map((topicScheme) => ({ topicScheme })),
      );
    } finally {
      await session.close();
    }
  });
  afterAll(async () => {
    await driver?.close();
  });

  it("gives every funding matrix the Cypher path gives, for varied filters", async () => {
    const rows: MatrixRows[] = ["COUNTRY", "FUNDER", "PROGRAMME"];
    const columns: MatrixColumns[] = ["TOPIC", "YEAR", "PROGRAMME"];
    let compared = 0;
    for (const filters of filterSets) {
      for (const row of rows) {
        for (const column of columns) {
          // Every measure without filters; with filters one measure each, in turn (the Cypher side is slow).
          const measures = ["AMOUNT_EUR", "PROJECTS", "PARTICIPATIONS"] as const;
          const some = Object.keys(filters).length ? [measures[compared % 3]!] : measures;
          for (const measure of some) {
            const args = { rows: row, columns: column, measure, filters };
            expect(await fundingMatrix(projected(), args), JSON.stringify(args)).toEqual(
              await fundingMatrix(cypher(), args),
            );
            compared++;
          }
        }
      }
      const perCapita = {
        rows: "COUNTRY",
        columns: "YEAR",
        measure: "AMOUNT_EUR",
        normalise: "PER_MILLION_INHABITANTS",
        filters,
      } as const;
      expect(await fundingMatrix(projected(), perCapita)).toEqual(await fundingMatrix(cypher(), perCapita));
    }
    expect(compared).toBe(27 + (filterSets.length - 1) * 9);
    // One data version: the projection was built once and answered every call.
    expect(built).toBe(1);
  });

  it("gives every country and organisation network the Cypher path gives, cut or whole", async () => {
    for (const filters of filterSets) {
      const { topicScheme: _, pmRelevance: __, ...networkFilters } = filters;
      for (const level of ["COUNTRY", "ORGANISATION"] as const) {
        for (const [limit, minWeight] of [
          [5000, 1],
          [3, 1],
          [500, 2],
        ] as const) {
          const args = { level, limit, minWeight, ...networkFilters };
          expect(await collaborationNetwork(projected(), args), JSON.stringify(args)).toEqual(
            await collaborationNetwork(cypher(), args),
          );
        }
      }
    }
    expect(built).toBe(1);
  });

  it("falls back to Cypher for a filter it does not know (e.g. a funder filter added later)", async () => {
    expect(
      await projectionFor(projected(), { fromYear: 2022, topicScheme: "LEGAL_BASIS" }, [
        "fromYear",
        "topicScheme",
      ]),
    ).not.toBeNull();
    expect(
      await projectionFor(projected(), { fromYear: 2022, funderIds: ["funder:x"] }, ["fromYear"]),
    ).toBeNull();
    // A filter left empty (null) is no filter.
    expect(await projectionFor(projected(), { funderIds: null }, ["fromYear"])).not.toBeNull();
    expect(await projectionFor(cypher(), {}, ["fromYear"])).toBeNull();
  });

  it("shares one build between requests that arrive during it", async () => {
    let count = 0;
    const fresh = new ProjectionStore({
      driver,
      database: TEST_DATABASE,
      readVersion: graphDataVersion,
      onBuilt: () => {
        count++;
      },
    });
    const context = cypher();
    const [a, b, c] = await Promise.all([
      fresh.current(context),
      fresh.current(context),
      fresh.current(context),
    ]);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(count).toBe(1);
  });

  it("answers null (Cypher then) when a write committed during the build", async () => {
    let reads = 0;
    // The version read before the build and the one after it differ, as when an import commits meanwhile.
    const racing = new ProjectionStore({
      driver,
      database: TEST_DATABASE,
      readVersion: async () => `v${++reads}`,
    });
    expect(await racing.current(cypher())).toBeNull();
  });
});
