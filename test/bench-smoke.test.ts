import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateLandscape } from "../bench/generate.js";
import { measure } from "../bench/measure.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, TEST_DATABASE, testDriver } from "./helpers/database.js";

/** A smoke run of the benchmark's parts: the generator, the import of its output, one measured query. */
describe("benchmark smoke run", () => {
  let driver: Driver;
  let folder: string;
  beforeAll(async () => {
    driver = testDriver();
    folder = mkdtempSync(path.join(os.tmpdir(), "atlas-bench-smoke-"));
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await driver.close();
  });

  it("generates a deterministic CORDIS-shaped landscape that the importer takes whole", async () => {
    const first = await generateLandscape(folder, 50);
    const again = await generateLandscape(`${folder}-again`, 50);
    rmSync(`${folder}-again`, { recursive: true, force: true });
    expect(again).toEqual(first);
    const organisations = readCordisCsv(path.join(folder, "organization.csv"));
    expect(organisations.length).toBe(first.participations);
    // 2..10 participants per project.
    expect(first.participations).toBeGreaterThanOrEqual(100);
    expect(first.participations).toBeLessThanOrEqual(500);

    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const report = await runCordisImport(
      driver,
      TEST_DATABASE,
      folder,
      {
        countries: readCountryReference(path.join(defaultSeedDir(), "reference")),
        dryRun: false,
        strict: false,
      },
      createLogger("silent"),
    );
    expect(report.rejected).toEqual([]);
    expect(await count(driver, "MATCH (p:Project) RETURN count(p)")).toBe(50);
    expect(await count(driver, "MATCH ()-[r:PARTICIPATES_IN]->() RETURN count(r)")).toBe(
      first.participations,
    );

    // The measured call checks its own answer, so a broken query cannot pass as fast.
    const titles: unknown[] = [];
    const result = await measure(
      async () => {
        const { records } = await driver.executeQuery(
          "MATCH (p:Project {id: 'cordis:900000001'}) RETURN p.title AS title",
        );
        titles.push(records[0]?.get("title"));
      },
      { requests: 20, concurrency: 2, warmup: 2 },
    );
    expect(result.requests).toBe(20);
    expect(titles).toHaveLength(22); // 2 warm-up + 20 measured
    const expectedTitle = readCordisCsv(path.join(folder, "project.csv")).find(
      (row) => row.id === "900000001",
    )?.title;
    expect(expectedTitle).toBeTruthy();
    expect(new Set(titles)).toEqual(new Set([expectedTitle]));
    // A failing call fails the measurement instead of being timed.
    await expect(
      measure(() => Promise.reject(new Error("down")), { requests: 3, concurrency: 1, warmup: 0 }),
    ).rejects.toThrow("down");
  });
});
