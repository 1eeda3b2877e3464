import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerCache, graphDataVersion } from "../src/analysis/answer-cache.js";
import { bumpDataVersion } from "../src/db/data-version.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { CordisCopy } from "./helpers/cordis-copy.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");
const countries = readCountryReference(`${defaultSeedDir()}/reference`);

const MATRIX = `{ fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR) { cells { row column value } } }`;
type Matrix = { fundingMatrix: { cells: { row: string; column: string; value: number }[] } };

/** One cell of the country x year matrix, 0 when the answer has no such cell. */
const cell = (matrix: Matrix, row: string, column: string) =>
  matrix.fundingMatrix.cells.find((c) => c.row === row && c.column === column)?.value ?? 0;

describe("issue 19: analysis answers cached by data version", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const copy = new CordisCopy();
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, log);
    atlas = await startAtlas(testConfig(), log);
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
    copy.remove();
  });
  const context = () => ({ driver, database: TEST_DATABASE });

  it("computes an answer once per data version and arguments (key order aside), again after a change", async () => {
    const cache = new AnswerCache({ maxEntries: 10, readVersion: graphDataVersion });
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.answer(context(), "a", { x: 1, y: [2, 3] }, compute)).toBe(1);
    expect(await cache.answer(context(), "a", { y: [2, 3], x: 1 }, compute)).toBe(1);
    expect(await cache.answer(context(), "a", { x: 1, y: [3, 2] }, compute)).toBe(2);
    expect(await cache.answer(context(), "b", { x: 1, y: [2, 3] }, compute)).toBe(3);
    const session = driver.session({ database: TEST_DATABASE });
    try {
      await session.executeWrite((tx) => bumpDataVersion(tx));
    } finally {
      await session.close();
    }
    expect(await cache.answer(context(), "a", { x: 1, y: [2, 3] }, compute)).toBe(4);
    expect(computed).toBe(4);
  });

  it("refuses an answer during which the data changed, keeps none, and answers at the new version on retry", async () => {
    for (const maxEntries of [10, 0]) {
      // A per-request memo, as the server reads the version once per request.
      let memo: Promise<string> | undefined;
      const cache = new AnswerCache({
        maxEntries,
        readVersion: (c) => (memo ??= graphDataVersion(c)),
        readCurrentVersion: graphDataVersion,
      });
      const before = await cache.versionOf(context());
      let computed = 0;
      // A real write commits between the answer's reads, as an import would.
      const racing = async () => {
        computed++;
        const session = driver.session({ database: TEST_DATABASE });
        try {
          await session.executeWrite((tx) => bumpDataVersion(tx));
        } finally {
          await session.close();
        }
        return "mixed";
      };
      const refused = await cache.answer(context(), "r", {}, racing).catch((error: unknown) => error);
      expect(refused, String(maxEntries)).toMatchObject({
        extensions: { code: "SERVICE_UNAVAILABLE", reason: "DATA_CHANGED" },
      });
      expect((refused as Error).message).toContain(before);
      // The next request (a new memo) computes again at the new version, and it holds.
      memo = undefined;
      expect(
        await cache.answer(context(), "r", {}, async () => `at ${await graphDataVersion(context())}`),
      ).toBe(`at ${await cache.versionOf(context())}`);
      expect(computed).toBe(1);
    }
  });

  it("shares one computation between identical requests in flight, and keeps no failure", async () => {
    const cache = new AnswerCache({ maxEntries: 10, readVersion: graphDataVersion });
    let computed = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = async () => {
      computed++;
      await gate;
      return "answer";
    };
    const both = Promise.all([
      cache.answer(context(), "s", {}, slow),
      cache.answer(context(), "s", {}, slow),
    ]);
    // Both calls must have read the version and joined before the gate opens.
    while (computed === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect(await both).toEqual(["answer", "answer"]);
    expect(computed).toBe(1);

    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw new Error("boom");
    };
    await expect(cache.answer(context(), "f", {}, failing)).rejects.toThrow("boom");
    await expect(cache.answer(context(), "f", {}, failing)).rejects.toThrow("boom");
    expect(attempts).toBe(2);
  });

  it("answers with a mutation's change in the very next request", async () => {
    // A project of the seed's CORDIS subset with German participants, moved to another start date (its
    // start year follows, src/db/derived-properties.ts).
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
    expect(expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX))).toEqual(before);

    const moved = await postGraphQL(
      atlas.http.url,
      `mutation { updateProjects(where: { id: { eq: "cordis:${project.id}" } }, update: { startDate: { set: "2099-01-01" } }) { projects { id } } }`,
      {},
      { authorization: `Bearer ${await adminToken()}` },
    );
    expect(moved.errors).toBeUndefined();
    const after = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));
    expect(cell(after, "country:DE", year)).toBeCloseTo(cell(before, "country:DE", year) - german, 2);
    expect(cell(after, "country:DE", "2099")).toBeCloseTo(german, 2);
  });

  it("answers with an import's change in the very next request", async () => {
    await loadSeed(driver, TEST_DATABASE, log);
    const organisations = copy.read("organization.csv");
    const index = organisations.findIndex((o) => o.country === "FR" && Number(o.ecContribution) > 0);
    const row = organisations[index]!;
    const project = copy.read("project.csv").find((p) => p.id === row.projectID)!;
    const year = project.startDate!.slice(0, 4);
    const before = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));

    organisations[index] = { ...row, ecContribution: String(Number(row.ecContribution) + 1000.25) };
    copy.write("organization.csv", organisations);
    await runCordisImport(driver, TEST_DATABASE, copy.dir, { countries, dryRun: false, strict: false }, log);
    const after = expectData(await postGraphQL<Matrix>(atlas.http.url, MATRIX));
    expect(cell(after, "country:FR", year)).toBeCloseTo(cell(before, "country:FR", year) + 1000.25, 2);
  });

  it("gives, for every answer read while an import runs, the numbers of the data version it names", async () => {
    await loadSeed(driver, TEST_DATABASE, log);
    const changed = new CordisCopy();
    try {
      const organisations = changed.read("organization.csv");
      const index = organisations.findIndex((o) => o.country === "IT" && Number(o.ecContribution) > 0);
      const row = organisations[index]!;
      const year = changed
        .read("project.csv")
        .find((p) => p.id === row.projectID)!
        .startDate!.slice(0, 4);
      organisations[index] = { ...row, ecContribution: String(Number(row.ecContribution) + 7777.5) };
      changed.write("organization.csv", organisations);

      type Versioned = Matrix & { dataVersion: { version: number } };
      const QUERY = `{ fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR) { cells { row column value } } dataVersion { version } }`;
      const before = expectData(await postGraphQL<Versioned>(atlas.http.url, QUERY));
      let importing = true;
      const imported = runCordisImport(
        driver,
        TEST_DATABASE,
        changed.dir,
        { countries, dryRun: false, strict: false },
        log,
      ).finally(() => {
        importing = false;
      });
      const answers: Awaited<ReturnType<typeof postGraphQL<Versioned>>>[] = [];
      while (importing) answers.push(await postGraphQL<Versioned>(atlas.http.url, QUERY));
      await imported;
      answers.push(await postGraphQL<Versioned>(atlas.http.url, QUERY));
      expect(answers.length).toBeGreaterThan(1);

      const final = answers.at(-1)!.data!;
      expect(final.dataVersion.version).toBeGreaterThan(before.dataVersion.version);
      const expected = new Map([
        [before.dataVersion.version, cell(before, "country:IT", year)],
        [final.dataVersion.version, cell(before, "country:IT", year) + 7777.5],
      ]);
      for (const answer of answers) {
        if (answer.errors) {
          // Refused rather than mixed: the version changed while the answer was read; a retry answers.
          expect(answer.errors[0]?.extensions).toMatchObject({
            code: "SERVICE_UNAVAILABLE",
            reason: "DATA_CHANGED",
          });
          continue;
        }
        // Readers see all of an import or none of it, under the version that says which.
        const { version } = answer.data!.dataVersion;
        expect([...expected.keys()]).toContain(version);
        expect(cell(answer.data!, "country:IT", year)).toBeCloseTo(expected.get(version)!, 2);
      }
    } finally {
      changed.remove();
    }
  });
});
