import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver, Plan, ProfiledPlan } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateLandscape } from "../bench/generate.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { UNLISTED_REMOVALS } from "../src/import/cordis/mirror.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";

/**
 * Fault (bench L, 200,000 projects): the CORDIS re-import's "remove what the export no longer lists"
 * statement for calls ran for more than 15 minutes. Written as one path ending at
 * `(:Source {id: p.source})`, the planner seeked the one Source and expanded from it to every call and
 * every project funded under it, joined by hash against each row: rows x projects. The work per row must
 * not grow with the graph: each statement is profiled on a generated landscape imported through the
 * CORDIS importer, with every project as a row, and its database hits per row are bounded by what one
 * project's own relationships can need.
 */
const PROJECTS = 3000;
let driver: Driver;
let folder: string;
/** The plans of UNLISTED_REMOVALS on the empty store: no statistics, as in an import's first batch. */
const emptyStorePlans: Plan[] = [];

/** Every operator of a plan, with its details, depth first. */
const operators = (plan: Plan): string[] => [
  `${plan.operatorType.replace(/@.*/, "")} ${String(plan.arguments.Details ?? "")}`,
  ...plan.children.flatMap(operators),
];

/** Database hits of a profiled plan, all operators. */
const dbHits = (plan: ProfiledPlan): number =>
  plan.dbHits + plan.children.reduce((sum, c) => sum + dbHits(c), 0);

beforeAll(async () => {
  driver = testDriver();
  await clearDatabase(driver);
  await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
  // Plans cached while earlier test files filled the store would hide the empty store's choices.
  await driver.executeQuery("CALL db.clearQueryCaches()", {}, { database: TEST_DATABASE });
  for (const statement of UNLISTED_REMOVALS) {
    const result = await driver.executeQuery(
      `EXPLAIN ${statement}`,
      { projects: [] },
      { database: TEST_DATABASE },
    );
    emptyStorePlans.push(result.summary.plan as Plan);
  }
  folder = mkdtempSync(path.join(os.tmpdir(), "atlas-import-plans-"));
  await generateLandscape(folder, PROJECTS);
  await runCordisImport(
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
});

afterAll(async () => {
  await clearDatabase(driver);
  await driver.close();
  rmSync(folder, { recursive: true, force: true });
});

describe("CORDIS mirror statements: work per project does not grow with the graph", () => {
  it.each(UNLISTED_REMOVALS.map((_statement, i) => [i] as const))(
    "statement %i, planned on an empty store, reaches nodes only from the row's project",
    (i) => {
      const found = operators(emptyStorePlans[i]!);
      // The row's project by its unique id, the Source by its unique id inside the per-row EXISTS:
      // nothing else is looked up, scanned or joined (a scan or seek of the far nodes is per row).
      const lookups = found.filter((op) => /^(Node|AllNodes|Directed|Undirected|.*Scan|.*HashJoin)/.test(op));
      expect(lookups.length, found.join("\n")).toBeGreaterThan(0);
      for (const op of lookups)
        expect(op, found.join("\n")).toMatch(
          /^NodeUniqueIndexSeek(\(Locking\))? UNIQUE \w+:(Entity|Source)\(id\) WHERE id = p\.(id|source)$/,
        );
      expect(
        found.some((op) => /^NodeUniqueIndexSeek.*n:Entity\(id\) WHERE id = p\.id/.test(op)),
        found.join("\n"),
      ).toBe(true);
    },
  );

  it.each(UNLISTED_REMOVALS.map((statement, i) => [i, statement] as const))(
    "statement %i",
    async (_i, statement) => {
      const rows = (
        await driver.executeQuery(
          "MATCH (p:Project)-[:SOURCED_FROM]->(s:Source) RETURN p.id AS id, s.id AS source",
          {},
          { database: TEST_DATABASE },
        )
      ).records.map((r) => ({
        id: r.get("id") as string,
        source: r.get("source") as string,
        // Nothing listed: every owned relationship is a candidate, the most work a row can ask for.
        participations: [],
        topics: [],
        programme: "",
      }));
      expect(rows.length).toBe(PROJECTS);
      // The relationships a row can touch: its project's own, counted independently of the statement.
      const degree = (
        await driver.executeQuery(
          "MATCH (p:Project) RETURN max(COUNT { (p)--() }) AS most",
          {},
          { database: TEST_DATABASE },
        )
      ).records[0]!.get("most") as bigint | number;
      const session = driver.session({ database: TEST_DATABASE });
      const tx = session.beginTransaction();
      try {
        const result = await tx.run(`PROFILE ${statement}`, { projects: rows });
        const hitsPerRow = dbHits(result.summary.profile as ProfiledPlan) / rows.length;
        // A seek of the project, then each of its relationships and their far nodes a few times over.
        expect(hitsPerRow).toBeLessThan(20 * (Number(degree) + 5));
      } finally {
        await tx.rollback();
        await session.close();
      }
    },
  );
});
