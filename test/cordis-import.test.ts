import { execFile } from "node:child_process";
import {
  cpSync,
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import yazl from "yazl";
import { generateLandscape } from "../bench/generate.js";
import { createDriver } from "../src/db/connection.js";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { type RunCordisImportOptions, runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { BATCH_SIZE } from "../src/import/graph-writer.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { ImportTooLargeError, InputValidationError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { cents, readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { afterBatch, killImportMidTransaction } from "./helpers/kill-import.js";
import { scratchNeo4jOptions } from "./helpers/scratch-neo4j.js";

const log = createLogger("silent");
const run = promisify(execFile);
const subsetDir = path.join(defaultSeedDir(), "cordis", "horizon");
const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
const options = (extra: Partial<RunCordisImportOptions> = {}): RunCordisImportOptions => ({
  countries,
  dryRun: false,
  strict: false,
  ...extra,
});

// Expected values, read with papaparse (not the importer's parser) from the files themselves.
const projectRows = readCordisCsv(path.join(subsetDir, "project.csv"));
const organisationRows = readCordisCsv(path.join(subsetDir, "organization.csv"));
const isoByCordisCode = new Map(
  readCordisCsv(path.join(defaultSeedDir(), "reference", "countries.csv"), ",").flatMap((row) => [
    [row.iso2!, row.iso2!],
    [row.cordisCode || row.iso2!, row.iso2!],
  ]),
);

function cliEnv(): NodeJS.ProcessEnv {
  const { uri, password } = inject("neo4j");
  return { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" };
}

describe("importing the CORDIS personalised-medicine subset", () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
  });
  afterAll(() => driver.close());

  it("into an empty store gives exactly the projects, organisations and participations of the files", async () => {
    const report = await runCordisImport(driver, TEST_DATABASE, subsetDir, options(), log);
    const distinctProjects = new Set(projectRows.map((row) => row.id)).size;
    const distinctOrganisations = new Set(organisationRows.map((row) => row.organisationID)).size;
    expect(distinctProjects).toBe(515); // SOURCES.md: 515 rows, one per project
    expect(organisationRows.length).toBe(4032); // SOURCES.md: 4,032 rows
    expect(report.rejected).toEqual([]);
    expect(await count(driver, "MATCH (p:Project) RETURN count(p)")).toBe(distinctProjects);
    expect(await count(driver, "MATCH (o:Organisation) RETURN count(o)")).toBe(distinctOrganisations);
    expect(await count(driver, "MATCH (:Organisation)-[r:PARTICIPATES_IN]->(:Project) RETURN count(r)")).toBe(
      organisationRows.length,
    );
    const csas = projectRows.filter((row) => row.fundingScheme.includes("CSA")).length;
    expect(await count(driver, "MATCH (c:CoordinationAction:Project) RETURN count(c)")).toBe(csas);
    expect(report).toMatchObject({
      projects: distinctProjects,
      organisations: distinctOrganisations,
      participations: 4032,
    });
  });

  it("totals the EU contribution per country exactly as the files do, to the cent", async () => {
    const expected = new Map<string, number>();
    for (const row of organisationRows) {
      const iso = isoByCordisCode.get(row.country!);
      if (!iso) continue;
      expected.set(iso, (expected.get(iso) ?? 0) + cents(row.ecContribution!));
    }
    const { records } = await driver.executeQuery(
      `MATCH (c:Country)<-[:LOCATED_IN]-(:Organisation)-[r:PARTICIPATES_IN]->(:Project)
       RETURN c.code AS code, sum(coalesce(r.contribution, 0.0)) AS total`,
      {},
      { database: TEST_DATABASE },
    );
    const actual = new Map(
      records.map((r) => [r.get("code") as string, Math.round((r.get("total") as number) * 100)]),
    );
    expect(actual.size).toBeGreaterThan(30);
    expect(actual).toEqual(expected);
  });

  it("records the export as a Source with its newest content update date", async () => {
    const { records } = await driver.executeQuery(
      "MATCH (s:Source {id: 'source:cordis-horizon-projects'}) RETURN toString(s.date) AS date, count { (s)<-[:SOURCED_FROM]-(:Project) } AS projects",
      {},
      { database: TEST_DATABASE },
    );
    const newest = projectRows
      .map((row) => row.contentUpdateDate!.slice(0, 10))
      .sort()
      .at(-1);
    expect(records[0]!.get("date")).toBe(newest);
    expect(records[0]!.get("projects").toNumber()).toBe(515);
  });

  it("a second time changes no count and nothing else", async () => {
    const before = await graphFingerprint(driver);
    const report = await runCordisImport(driver, TEST_DATABASE, subsetDir, options(), log);
    expect(report.nodesCreated).toBe(0);
    expect(report.relationshipsCreated).toBe(0);
    expect(await graphFingerprint(driver)).toEqual(before);
  });

  it("from the zipped export, unpacked by nobody, gives the same graph", async () => {
    const before = await graphFingerprint(driver);
    const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-zip-"));
    const zipPath = path.join(dir, "cordis-HORIZONprojects-csv.zip");
    const zip = new yazl.ZipFile();
    for (const name of readdirSync(subsetDir)) zip.addFile(path.join(subsetDir, name), `csv/${name}`);
    zip.end();
    await new Promise((resolve) =>
      zip.outputStream.pipe(createWriteStream(zipPath)).on("close", () => resolve(undefined)),
    );
    try {
      const report = await runCordisImport(driver, TEST_DATABASE, zipPath, options(), log);
      expect(report.participations).toBe(4032);
      expect(await graphFingerprint(driver)).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps only the projects that --match selects", async () => {
    const pattern = /pharmacogen/i;
    const expected = projectRows.filter((row) =>
      pattern.test(`${row.title}\n${row.objective}\n${row.keywords}`),
    ).length;
    const report = await runCordisImport(
      driver,
      TEST_DATABASE,
      subsetDir,
      options({ dryRun: true, match: pattern }),
      log,
    );
    expect(report.projects).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it("--topics on the command line keeps only projects with a topic of those prefixes", async () => {
    const prefixes = ["HORIZON-HLTH-2023-DISEASE", "ERC-"];
    const expected = projectRows.filter((row) =>
      row
        .topics!.split(/[;,]/)
        .map((code) => code.trim())
        .some((code) => prefixes.some((prefix) => code.startsWith(prefix))),
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(projectRows.length);
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "import",
        "cordis",
        subsetDir,
        "--dry-run",
        "--topics",
        prefixes.join(","),
      ],
      { env: cliEnv() },
    );
    expect(JSON.parse(stdout)).toMatchObject({ dryRun: true, projects: expected });
  });

  it("warns, with file:line, about a participant in an unknown country and imports it without LOCATED_IN", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-country-"));
    try {
      cpSync(subsetDir, dir, { recursive: true });
      const file = path.join(dir, "organization.csv");
      const lines = readFileSync(file, "utf8").split("\n");
      // The first row of organisation 999866495 (Erlangen), found by text; every row of it gets "XX".
      const organisationLines = lines
        .map((line, i) => ({ line, number: i + 1 }))
        .filter(({ line }) => line.split(";")[2] === '"999866495"');
      expect(organisationLines.length).toBeGreaterThan(0);
      for (const { number } of organisationLines)
        lines[number - 1] = lines[number - 1]!.replace(';"DE";', ';"XX";');
      writeFileSync(file, lines.join("\n"));
      await clearDatabase(driver);
      const report = await runCordisImport(driver, TEST_DATABASE, dir, options(), log);
      expect(report.rejected).toEqual([]);
      const warned = report.warnings.filter((w) => w.reason.includes("999866495"));
      expect(warned).toEqual([
        expect.objectContaining({
          line: organisationLines[0]!.number,
          field: "country",
          reason: expect.stringContaining('"XX" is no known country'),
        }),
      ]);
      expect(warned[0]!.file).toMatch(/organization\.csv$/);
      expect(await count(driver, "MATCH (o:Organisation {id: 'org:999866495'}) RETURN count(o)")).toBe(1);
      expect(
        await count(driver, "MATCH (:Organisation {id: 'org:999866495'})-[:LOCATED_IN]->() RETURN count(*)"),
      ).toBe(0);
      expect(
        await count(
          driver,
          "MATCH (:Organisation {id: 'org:999866495'})-[r:PARTICIPATES_IN]->() RETURN count(r)",
        ),
      ).toBe(organisationLines.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await clearDatabase(driver);
      await runCordisImport(driver, TEST_DATABASE, subsetDir, options(), log);
    }
  });

  describe("with a broken row", () => {
    let dir: string;
    let brokenLine: number;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), "atlas-broken-"));
      cpSync(subsetDir, dir, { recursive: true });
      const file = path.join(dir, "project.csv");
      const lines = readFileSync(file, "utf8").split("\n");
      // The record of EP PerMed: its line found by text, independently of any CSV parser.
      brokenLine = lines.findIndex((line) => line.startsWith('"101137129";')) + 1;
      lines[brokenLine - 1] = lines[brokenLine - 1]!.replace('"2023-11-01"', '"2023-13-45"');
      writeFileSync(file, lines.join("\n"));
      return () => rmSync(dir, { recursive: true, force: true });
    });

    it("reports file:line: column: reason and imports the rest", async () => {
      const report = await runCordisImport(driver, TEST_DATABASE, dir, options({ dryRun: true }), log);
      // The project row, then each row of the other files that belongs to it (issue 16.6: they used to
      // vanish without a word), counted from the files.
      const ofProject = ["organization.csv", "topics.csv", "euroSciVoc.csv", "legalBasis.csv"].flatMap(
        (name) => readCordisCsv(path.join(dir, name)).filter((row) => row.projectID === "101137129"),
      );
      expect(ofProject.length).toBeGreaterThan(0);
      expect(report.rejected).toHaveLength(1 + ofProject.length);
      expect(report.rejected.slice(1).every((p) => p.reason.includes(`project.csv line ${brokenLine}`))).toBe(
        true,
      );
      expect(report.rejected[0]).toMatchObject({ line: brokenLine, field: "startDate" });
      expect(report.rejected[0]!.file).toMatch(/project\.csv$/);
      expect(report.rejected[0]!.reason).toContain("2023-13-45");
      expect(report.projects).toBe(514);
    });

    it("with --strict fails the whole run and leaves the graph as it was", async () => {
      await clearDatabase(driver);
      const before = await graphFingerprint(driver);
      await expect(
        runCordisImport(driver, TEST_DATABASE, dir, options({ strict: true }), log),
      ).rejects.toBeInstanceOf(InputValidationError);
      expect(await graphFingerprint(driver)).toEqual(before);
    });
  });

  describe("from the command line", () => {
    it("explains itself with --help", async () => {
      const { stdout } = await run(process.execPath, [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "import",
        "cordis",
        "--help",
      ]);
      for (const option of ["--match <regex>", "--topics <prefixes>", "--dry-run", "--strict"])
        expect(stdout).toContain(option);
    });

    it("leaves the graph readers see as it was when killed after its first batch, and the next import cleans up", async () => {
      await clearDatabase(driver);
      const before = await graphFingerprint(driver);
      // The child is frozen after its first staging batch, then killed.
      await killImportMidTransaction(driver, subsetDir, afterBatch(1));
      // What it staged is out of readers' sight (the staging area and its lock, named here)...
      const staging = "n:CordisStaged OR n:CordisImportLock";
      expect(await graphFingerprint(driver, { alsoWithout: staging })).toEqual(before);
      // ...and the next import takes over the dead run's lock and removes it.
      await runCordisImport(driver, TEST_DATABASE, subsetDir, options({}), log);
      const { records } = await driver.executeQuery(
        `MATCH (n) WHERE ${staging} RETURN count(n) AS staged`,
        {},
        { database: TEST_DATABASE },
      );
      expect(Number(records[0]!.get("staged"))).toBe(0);
    });
  });
});

describe("an export that does not fit into one transaction", () => {
  let instance: EmbeddedNeo4j | undefined;
  let dataDir: string;
  afterAll(async () => {
    await instance?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("fails with what to change, and leaves the graph as it was", async () => {
    // A Neo4j whose transactions may use 10 MiB together (its minimum), far below what 515 projects and 4,032
    // participations need (about 5 KB a row).
    dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-txmem-"));
    instance = await startOrAttachEmbeddedNeo4j(
      await scratchNeo4jOptions(dataDir, { transactionMemoryMb: 10 }),
      log,
    );
    const small = createDriver(instance.uri, instance.username, instance.password);
    try {
      await applySchema(small, TEST_DATABASE, schemaStatements(loadTypeDefs()));
      const before = await graphFingerprint(small);
      const failure = await runCordisImport(small, TEST_DATABASE, subsetDir, options(), log).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ImportTooLargeError);
      const message = (failure as Error).message;
      expect(message).toMatch(/did not fit into one Neo4j transaction/);
      expect(message).toMatch(/after \d+ rows/);
      expect(message).toMatch(/nothing was written/);
      expect(message).toContain("ATLAS_NEO4J_HEAP");
      expect(await graphFingerprint(small)).toEqual(before);
    } finally {
      await small.close();
    }
  });
});

describe("an export larger than one write batch", () => {
  let driver: Driver;
  let folder: string;
  beforeAll(() => {
    driver = testDriver();
    folder = mkdtempSync(path.join(os.tmpdir(), "atlas-batches-"));
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await driver.close();
  });

  it(`is written in batches of ${BATCH_SIZE.toLocaleString("en")} rows, and every row arrives`, async () => {
    // The benchmark's generator: about 6 participants per project, so 2,500 projects give > 10,000 rows.
    await generateLandscape(folder, 2500);
    const participations = readCordisCsv(path.join(folder, "organization.csv")).length;
    const projects = new Set(readCordisCsv(path.join(folder, "project.csv")).map((row) => row.id)).size;
    expect(participations).toBeGreaterThan(BATCH_SIZE);
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const batches: { nodes: number; relationships: number }[] = [];
    await runCordisImport(
      driver,
      TEST_DATABASE,
      folder,
      options({ onBatchWritten: (written) => batches.push(written) }),
      log,
    );
    // One flush after the projects, at least one in the middle of organization.csv (the 10,000th row of a
    // buffer), and the last one.
    expect(batches.length).toBeGreaterThanOrEqual(3);
    const middle = batches.slice(1, -1);
    expect(
      middle.some((b) => b.relationships >= BATCH_SIZE && b.relationships < batches.at(-1)!.relationships),
    ).toBe(true);
    expect(await count(driver, "MATCH ()-[r:PARTICIPATES_IN]->() RETURN count(r)")).toBe(participations);
    expect(await count(driver, "MATCH (p:Project) RETURN count(p)")).toBe(projects);
  });
});
