import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";
import {
  OPENAIRE_FIXTURES as FIXTURES,
  fundingShortNames,
  openAireGraphId as graphId,
  type Json,
  openAireOptions as options,
  readJsonLines,
} from "./helpers/openaire.js";

/*
 * Issue 21.1 ("same guarantees as the CORDIS importer: mirror semantics", issue 16): an unfiltered
 * OpenAIRE dump that no longer lists a project it listed before reports it as unlisted and keeps it;
 * `prune` removes it with the links the importer owns, unless curated data refers to it; a record that
 * is refused still lists its project; a filtered dump never calls other projects unlisted. The input
 * is the real sample of test/fixtures/openaire; the expected ids are read from its lines here.
 */

const log = createLogger("silent");
const FILES = ["dump-v7-lowercase_projects.jsonl", "alternative-model_projects.jsonl"];

const lines = (file: string): Json[] => readJsonLines(path.join(FIXTURES, file));
const isEc = (record: Json) => fundingShortNames(record).includes("EC");

/** A dump folder holding the two sample files, the first with `edit` applied to its records. */
function dump(edit: (records: Json[]) => Json[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-openaire-prune-"));
  FILES.forEach((file, index) => {
    const records = index === 0 ? edit(lines(file)) : lines(file);
    writeFileSync(path.join(dir, file), `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  });
  return dir;
}

describe("issue 21.1: OpenAIRE projects that a later dump no longer lists (mirror semantics)", () => {
  let driver: Driver;
  const dirs: string[] = [];
  const v7 = lines(FILES[0]!);
  const imported = [...v7, ...lines(FILES[1]!)].filter((r) => !isEc(r));
  // The two projects dropped from the later dump, and one whose record it spoils (an impossible date).
  const [dropped, droppedCurated, spoiled] = v7.filter((r) => !isEc(r));
  const later = () =>
    dump((records) =>
      records
        .filter((r) => r.id !== dropped!.id && r.id !== droppedCurated!.id)
        .map((r) => (r.id === spoiled!.id ? { ...r, startdate: "2021-02-30" } : r)),
    );

  beforeAll(() => {
    driver = testDriver();
  });
  beforeEach(async () => {
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const first = await runOpenAireImport(
      driver,
      TEST_DATABASE,
      dump((r) => r),
      options(),
      log,
    );
    expect(first.unlistedProjects).toEqual([]);
    expect(first.counts.projectsAdded).toBe(imported.length);
    // Curated data refers to one of the projects the later dump drops.
    await driver.executeQuery(
      `MATCH (p:Project {id: $id})
       CREATE (c:Entity:Consortium {id: 'consortium:test-curated', name: 'Curated (test)'})-[:SUPPORTS]->(p)`,
      { id: graphId(droppedCurated!) },
      { database: TEST_DATABASE },
    );
  });
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await driver.close();
  });

  const unlistedIds = () => [graphId(dropped!), graphId(droppedCurated!)].sort();

  it("reports them and keeps them; the refused record's project is listed, not unlisted", async () => {
    const dir = later();
    dirs.push(dir);
    const report = await runOpenAireImport(driver, TEST_DATABASE, dir, options(), log);
    expect(report.rejected.map((p) => p.field)).toEqual(["startdate"]);
    expect(report.unlistedProjects).toEqual(unlistedIds());
    expect(report.prunedProjects).toEqual([]);
    expect(report.run?.projectsUnlisted).toBe(2);
    expect(report.counts.projectsRemoved).toBe(0);
    expect(await count(driver, "MATCH (p:Project) RETURN count(p)")).toBe(imported.length);
  });

  it("a dry run names the same projects and writes nothing", async () => {
    const dir = later();
    dirs.push(dir);
    const before = await graphFingerprint(driver);
    const report = await runOpenAireImport(driver, TEST_DATABASE, dir, options({ dryRun: true }), log);
    expect(report.unlistedProjects).toEqual(unlistedIds());
    expect(await graphFingerprint(driver)).toEqual(before);
  });

  it("--prune removes the unlisted project with its links, and keeps the one curated data refers to", async () => {
    const dir = later();
    dirs.push(dir);
    const report = await runOpenAireImport(driver, TEST_DATABASE, dir, options({ prune: true }), log);
    expect(report.prunedProjects).toEqual([graphId(dropped!)]);
    expect(report.keptCuratedProjects).toEqual([graphId(droppedCurated!)]);
    expect(report.counts.projectsRemoved).toBe(1);
    expect(report.changes.filter((c) => c.change === "PROJECT_REMOVED").map((c) => c.id)).toEqual([
      graphId(dropped!),
    ]);
    expect(await count(driver, "MATCH (p:Project) RETURN count(p)")).toBe(imported.length - 1);
    expect(await count(driver, "MATCH (p:Entity {id: $id}) RETURN count(p)", { id: graphId(dropped!) })).toBe(
      0,
    );
    expect(
      await count(driver, "MATCH (p:Project {id: $id}) RETURN count(p)", { id: graphId(droppedCurated!) }),
    ).toBe(1);
  });

  it("a filtered dump (--funder) never calls other projects unlisted", async () => {
    const dir = later();
    dirs.push(dir);
    const report = await runOpenAireImport(
      driver,
      TEST_DATABASE,
      dir,
      options({ funders: ["ANR"], prune: true }),
      log,
    );
    expect(report.unlistedProjects).toEqual([]);
    expect(report.counts.projectsRemoved).toBe(0);
    expect(await count(driver, "MATCH (p:Project) RETURN count(p)")).toBe(imported.length);
  });
});
