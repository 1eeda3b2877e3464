import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { FileRefusedError, NoValidRowsError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { OPENAIRE_V7, openAireOptions, readJsonLines } from "./helpers/openaire.js";

/**
 * OpenAIRE dumps that are not what they claim, through the real importer on the real seed: each is
 * refused with the file and line named, and leaves the graph, the ImportRuns and the data version as
 * they were. The exit rules are the CORDIS importer's: nothing valid, nothing recorded.
 */
const log = createLogger("silent");

describe("hostile OpenAIRE dumps change nothing", () => {
  let driver: Driver;
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-openaire-hostile-"));
  const state = async () => ({
    graph: await graphFingerprint(driver),
    runs: await count(driver, "MATCH (r:ImportRun) RETURN count(r) AS n"),
    version: await count(driver, "MATCH (v:DataVersion) RETURN v.version AS n"),
  });
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
  }, 300_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await driver?.close();
  });

  /** A dump of one project file holding `lines`, in a folder of its own. */
  function dumpOf(name: string, lines: string[]): string {
    const file = path.join(dir, `${name}_projects.jsonl`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
  }

  it("a dump in which every record is invalid: NoValidRowsError, no ImportRun, no new version", async () => {
    const before = await state();
    const file = dumpOf("invalid", ["not json", "[1, 2]", '{"id": 7}']);
    const refused = await runOpenAireImport(driver, TEST_DATABASE, file, openAireOptions(), log).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(NoValidRowsError);
    expect((refused as Error).message).toMatch(/no valid row \(3 read, 3 rejected/);
    expect(await state()).toEqual(before);
  });

  it("a record line past the line limit: refused naming its line, before anything is written", async () => {
    const before = await state();
    const real = readJsonLines(OPENAIRE_V7).map((record) => JSON.stringify(record));
    const huge = JSON.stringify({ ...JSON.parse(real[0]!), summary: "x".repeat(1_100_000) });
    const file = dumpOf("long-line", [real[1]!, huge, real[2]!]);
    const refused = await runOpenAireImport(driver, TEST_DATABASE, file, openAireOptions(), log).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FileRefusedError);
    expect((refused as FileRefusedError).problem).toMatchObject({ line: 2, field: "(line)" });
    expect(await state()).toEqual(before);
  });

  it("a record nested deeper than the nesting limit: refused naming its line, before anything is written", async () => {
    const before = await state();
    const real = readJsonLines(OPENAIRE_V7).map((record) => JSON.stringify(record));
    // 1,000 levels of nested arrays inside a real record: 2,000 bracket characters, far within the line limit.
    const deep = real[0]!.replace(/}$/, `,"extra":${"[".repeat(1_000)}${"]".repeat(1_000)}}`);
    const file = dumpOf("deep", [real[1]!, deep, real[2]!]);
    const refused = await runOpenAireImport(driver, TEST_DATABASE, file, openAireOptions(), log).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FileRefusedError);
    expect((refused as FileRefusedError).problem).toMatchObject({ line: 2, field: "(json)" });
    expect((refused as Error).message).toContain("nested deeper than 64 levels");
    expect(await state()).toEqual(before);
  });
});
