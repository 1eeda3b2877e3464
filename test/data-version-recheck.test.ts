import { setTimeout as wait } from "node:timers/promises";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_VERSION_ID } from "../src/db/data-version.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";

// Issue 19: an API process reads the data version at most every ATLAS_DATA_VERSION_RECHECK_MS, so a
// cached answer costs no database round trip. A write of the process itself shows in the very next
// answer; a write of another process within the stated delay.

const log = createLogger("silent");
const YEARS = "{ fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR) { columns { key } } }";
type Years = { fundingMatrix: { columns: { key: string }[] } };
const yearsOf = (answer: Years) => answer.fundingMatrix.columns.map((column) => column.key);

describe("issue 19: the data version re-read at most every ATLAS_DATA_VERSION_RECHECK_MS", () => {
  let driver: Driver;
  let slow: RunningAtlas;
  let quick: RunningAtlas;
  const recheckMs = 300;
  // A project of the seed's CORDIS files with a start date (an input, picked from the files).
  const project = readCordisCsv(`${defaultSeedDir()}/cordis/horizon/project.csv`).find((p) => p.startDate)!;

  /** A write as another process makes it (a CLI import): in its own transaction, with the version bump. */
  const writeElsewhere = async (startDate: string) => {
    await driver.executeQuery(
      `MATCH (p:Project {id: $project}) SET p.startDate = date($startDate), p.startYear = date($startDate).year
       WITH count(*) AS changed
       MATCH (v:DataVersion {id: $version}) SET v.version = v.version + 1, v.updatedAt = datetime()`,
      { project: `cordis:${project.id}`, startDate, version: DATA_VERSION_ID },
      { database: TEST_DATABASE },
    );
  };

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, log);
    // A minute: long enough that within this test the remembered version is never re-read by age.
    slow = await startAtlas(testConfig({ dataVersionRecheckMs: 60_000 }), log);
    quick = await startAtlas(testConfig({ dataVersionRecheckMs: recheckMs }), log);
  });
  afterAll(async () => {
    await slow?.stop();
    await quick?.stop();
    await driver?.close();
  });

  it("shows a mutation made through the API in the very next answer, without waiting", async () => {
    const before = yearsOf(expectData(await postGraphQL<Years>(slow.http.url, YEARS)));
    expect(before).not.toContain("2098");
    expect(yearsOf(expectData(await postGraphQL<Years>(quick.http.url, YEARS)))).toEqual(before);
    const moved = await postGraphQL(
      slow.http.url,
      `mutation { updateProjects(where: { id: { eq: "cordis:${project.id}" } }, update: { startDate: { set: "2098-01-01" } }) { projects { id } } }`,
      {},
      { authorization: `Bearer ${await adminToken()}` },
    );
    expect(moved.errors).toBeUndefined();
    // Both servers of this process: the one that took the mutation and the other.
    expect(yearsOf(expectData(await postGraphQL<Years>(slow.http.url, YEARS))).at(-1)).toBe("2098");
    expect(yearsOf(expectData(await postGraphQL<Years>(quick.http.url, YEARS))).at(-1)).toBe("2098");
  });

  it("answers from the remembered version until the delay has passed, then shows another process's write", async () => {
    const before = yearsOf(expectData(await postGraphQL<Years>(quick.http.url, YEARS)));
    expectData(await postGraphQL<Years>(slow.http.url, YEARS));
    await writeElsewhere("2097-06-01");
    const committed = performance.now();
    // The server that re-reads every minute still answers from before the write: no round trip.
    expect(yearsOf(expectData(await postGraphQL<Years>(slow.http.url, YEARS)))).not.toContain("2097");
    // The stated bound is the condition: a request that starts recheckMs after the commit is fresh.
    const left = recheckMs - (performance.now() - committed);
    if (left > 0) await wait(left);
    const after = yearsOf(expectData(await postGraphQL<Years>(quick.http.url, YEARS)));
    expect(after).not.toEqual(before);
    expect(after).toContain("2097");
  });
});
