import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
