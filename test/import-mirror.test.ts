import type { Driver } from "neo4j-driver";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { type RunCordisImportOptions, runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { InputValidationError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { CordisCopy, expectedChanges, HORIZON_DIR, participationKey } from "./helpers/cordis-copy.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";

const log = createLogger("silent");
const countries = readCountryReference(`${defaultSeedDir()}/reference`);
const options = (extra: Partial<RunCordisImportOptions> = {}): RunCordisImportOptions => ({
  countries,
  dryRun: false,
  strict: false,
  displayRoot: "/",
  ...extra,
});
const originalProjects = readCordisCsv(`${HORIZON_DIR}/project.csv`);
const originalOrganisations = readCordisCsv(`${HORIZON_DIR}/organization.csv`);

/** The projects with at least `n` participation rows, in file order. */
function projectsWithParticipants(n: number): string[] {
  const counts = new Map<string, number>();
  for (const row of originalOrganisations) counts.set(row.projectID!, (counts.get(row.projectID!) ?? 0) + 1);
  return [...counts].filter(([, c]) => c >= n).map(([id]) => id);
}

const importRuns = async (driver: Driver) =>
  (
    await driver.executeQuery(
      "MATCH (r:ImportRun) OPTIONAL MATCH (r)-[:READ_FILE]->(f:ImportFile) WITH r, collect(f {.path, .sha256, .rows}) AS files RETURN r {.*, files: files} AS run ORDER BY r.startedAt",
      {},
      { database: TEST_DATABASE },
    )
  ).records.map((r) => r.get("run") as Record<string, unknown>);

const participation = async (driver: Driver, projectId: string, organisationId: string, order: string) =>
  (
    await driver.executeQuery(
      "MATCH (:Organisation {id: $org})-[r:PARTICIPATES_IN]->(:Project {id: $project}) WHERE r.order = toInteger($order) RETURN r.role AS role, r.contribution AS contribution",
      { org: `org:${organisationId}`, project: `cordis:${projectId}`, order },
      { database: TEST_DATABASE },
    )
  ).records.map((r) => ({ role: r.get("role") as string, contribution: r.get("contribution") as number }));

describe("issue 16.1: a re-import mirrors the export and records what changed", () => {
  let driver: Driver;
  let copy: CordisCopy;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
  });
  beforeEach(() => {
    copy = new CordisCopy();
  });
  afterEach(() => copy.remove());
  afterAll(() => driver.close());

  it("drops a participation, changes an amount and a role, and counts each in the ImportRun", async () => {
    const [projectId, otherProject] = projectsWithParticipants(3);
    const rows = originalOrganisations.map((row) => ({ ...row }));
    const ofProject = rows.filter((row) => row.projectID === projectId);
    const [dropped, amount, role] = ofProject;
    amount!.ecContribution = String(Number(amount!.ecContribution || 0) + 1234.5);
    role!.role = role!.role === "associatedPartner" ? "thirdParty" : "associatedPartner";
    copy.write(
      "organization.csv",
      rows.filter((row) => row !== dropped),
    );
    const projects = originalProjects.map((row) => ({ ...row }));
    projects.find((row) => row.id === otherProject)!.title = "A title that CORDIS corrected";
    copy.write("project.csv", projects);
    const expected = expectedChanges(
      { projects: originalProjects, organisations: originalOrganisations },
      { projects: copy.read("project.csv"), organisations: copy.read("organization.csv") },
    );
    // The change is what the test made: one of each kind, two projects.
    expect(expected).toEqual({
      projectsAdded: 0,
      projectsUpdated: 2,
      participationsAdded: 0,
      participationsRemoved: 1,
      participationsChanged: 2,
    });

    const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options(), log);

    expect(await participation(driver, projectId!, dropped!.organisationID!, dropped!.order!)).toEqual([]);
    expect(await participation(driver, projectId!, amount!.organisationID!, amount!.order!)).toEqual([
      expect.objectContaining({ contribution: Number(amount!.ecContribution) }),
    ]);
    expect(await participation(driver, projectId!, role!.organisationID!, role!.order!)).toEqual([
      expect.objectContaining({
        role: role!.role === "associatedPartner" ? "ASSOCIATED_PARTNER" : "THIRD_PARTY",
      }),
    ]);
    expect(await count(driver, "MATCH (:Organisation)-[r:PARTICIPATES_IN]->(:Project) RETURN count(r)")).toBe(
      originalOrganisations.length - 1,
    );
    expect(report.run).toMatchObject({ ...expected, projectsRemoved: 0, status: "SUCCEEDED" });
    const stored = (await importRuns(driver)).at(-1)!;
    for (const [field, value] of Object.entries(expected)) expect(Number(stored[field]), field).toBe(value);
    expect(Number(stored.rowsRead)).toBe(report.rowsRead);
    expect(Number(stored.rowsRejected)).toBe(0);
    const files = stored.files as { path: string; sha256: string; rows: unknown }[];
    expect(Object.fromEntries(files.map((f) => [f.path.split("/").at(-1), f.sha256]))).toEqual(
      Object.fromEntries(
        ["project.csv", "organization.csv", "topics.csv", "euroSciVoc.csv", "legalBasis.csv"].map((name) => [
          name,
          copy.sha256(name),
        ]),
      ),
    );
    // --changes lists exactly these records.
    expect(report.changes.map((c) => c.change).sort()).toEqual([
      "PARTICIPATION_CHANGED",
      "PARTICIPATION_CHANGED",
      "PARTICIPATION_REMOVED",
      "PROJECT_UPDATED",
      "PROJECT_UPDATED",
    ]);

    // Idempotent: the same export again changes nothing and says so.
    const before = await graphFingerprint(driver);
    const again = await runCordisImport(driver, TEST_DATABASE, copy.dir, options(), log);
    expect(again.run).toMatchObject({
      projectsAdded: 0,
      projectsUpdated: 0,
      projectsRemoved: 0,
      participationsAdded: 0,
      participationsRemoved: 0,
      participationsChanged: 0,
    });
    expect(await graphFingerprint(driver)).toEqual(before);

    // And the original export puts everything back, counted the other way round.
    const back = await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
    expect(back.run).toMatchObject({ participationsAdded: 1, participationsChanged: 2, projectsUpdated: 2 });
  });

  it("never touches curated participations and topics of a project it mirrors", async () => {
    const [projectId] = projectsWithParticipants(2);
    await driver.executeQuery(
      `MATCH (p:Project {id: $project})
       MERGE (s:Source:Entity {id: 'source:test-curated'}) SET s.title = 'curated'
       MERGE (o:Organisation:Entity {id: 'org:test-curated'}) SET o.name = 'Curated Org'
       MERGE (t:Topic:Entity {id: 'topic:test-curated'}) SET t.name = 'Curated', t.scheme = 'ATLAS'
       MERGE (t)-[:SOURCED_FROM]->(s)
       MERGE (o)-[r:PARTICIPATES_IN {role: 'PARTNER'}]->(p)
       MERGE (p)-[:ADDRESSES]->(t)`,
      { project: `cordis:${projectId}` },
      { database: TEST_DATABASE },
    );
    copy.write(
      "organization.csv",
      originalOrganisations.filter((row) => row.projectID !== projectId),
    );
    const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options(), log);
    const removed = originalOrganisations.filter((row) => row.projectID === projectId).length;
    expect(report.run?.participationsRemoved).toBe(removed);
    expect(
      await count(
        driver,
        "MATCH (:Organisation {id: 'org:test-curated'})-[r:PARTICIPATES_IN]->(:Project {id: $p}) RETURN count(r)",
        { p: `cordis:${projectId}` },
      ),
    ).toBe(1);
    expect(
      await count(
        driver,
        "MATCH (:Project {id: $p})-[r:ADDRESSES]->(:Topic {id: 'topic:test-curated'}) RETURN count(r)",
        {
          p: `cordis:${projectId}`,
        },
      ),
    ).toBe(1);
    await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
    await driver.executeQuery(
      "MATCH (n:Entity) WHERE n.id IN ['source:test-curated', 'org:test-curated', 'topic:test-curated'] DETACH DELETE n",
      {},
      { database: TEST_DATABASE },
    );
  });

  it("reports projects that an unfiltered newer export no longer lists, and removes them only with --prune", async () => {
    const [gone, curated] = projectsWithParticipants(2).slice(-2);
    copy.write(
      "project.csv",
      originalProjects.filter((row) => row.id !== gone && row.id !== curated),
    );
    for (const name of ["organization.csv", "topics.csv", "euroSciVoc.csv", "legalBasis.csv"]) {
      copy.write(
        name,
        copy.read(name).filter((row) => row.projectID !== gone && row.projectID !== curated),
      );
    }
    const unlisted = [`cordis:${gone}`, `cordis:${curated}`].sort();

    const reported = await runCordisImport(driver, TEST_DATABASE, copy.dir, options(), log);
    expect(reported.unlistedProjects).toEqual(unlisted);
    expect(reported.run?.projectsRemoved).toBe(0);
    expect(
      await count(driver, "MATCH (p:Project) WHERE p.id IN $ids RETURN count(p)", { ids: unlisted }),
    ).toBe(2);

    // A filtered import lists only what it keeps: it calls nothing unlisted.
    const filtered = await runCordisImport(
      driver,
      TEST_DATABASE,
      copy.dir,
      options({ match: /cancer/i }),
      log,
    );
    expect(filtered.unlistedProjects).toEqual([]);

    // Curated data refers to one of them: --prune keeps that one and says why.
    await driver.executeQuery(
      "MATCH (p:Project {id: $id}) MERGE (c:Consortium:Entity {id: 'consortium:test-curated'}) SET c.name = 'Curated' MERGE (p)-[:SUPPORTS]->(c)",
      { id: `cordis:${curated}` },
      { database: TEST_DATABASE },
    );
    const pruned = await runCordisImport(driver, TEST_DATABASE, copy.dir, options({ prune: true }), log);
    expect(pruned.prunedProjects).toEqual([`cordis:${gone}`]);
    expect(pruned.keptCuratedProjects).toEqual([`cordis:${curated}`]);
    expect(pruned.run?.projectsRemoved).toBe(1);
    expect(pruned.run?.participationsRemoved).toBe(
      originalOrganisations.filter((row) => row.projectID === gone).length,
    );
    expect(await count(driver, "MATCH (p:Project {id: $id}) RETURN count(p)", { id: `cordis:${gone}` })).toBe(
      0,
    );
    expect(
      await count(driver, "MATCH (p:Project {id: $id}) RETURN count(p)", { id: `cordis:${curated}` }),
    ).toBe(1);
    expect(await count(driver, "MATCH (c:Consortium {id: 'consortium:test-curated'}) RETURN count(c)")).toBe(
      1,
    );

    await driver.executeQuery(
      "MATCH (c:Consortium {id: 'consortium:test-curated'}) DETACH DELETE c",
      {},
      {
        database: TEST_DATABASE,
      },
    );
    const restored = await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
    expect(restored.run?.projectsAdded).toBe(1);
  });
});

describe("issue 16.5 and 16.6: every row is counted once and no bad value vanishes", () => {
  let driver: Driver;
  let copy: CordisCopy;
  beforeAll(() => {
    driver = testDriver();
  });
  beforeEach(() => {
    copy = new CordisCopy();
  });
  afterEach(() => copy.remove());
  afterAll(() => driver.close());

  it("counts an exact duplicate row once, with a warning at its line", async () => {
    const rows = [...originalOrganisations, { ...originalOrganisations[10]! }];
    copy.write("organization.csv", rows);
    const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options({ dryRun: true }), log);
    expect(report.participations).toBe(new Set(rows.map(participationKey)).size);
    const line = copy.lines.get("organization.csv")!.at(-1)!;
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ line, field: "(row)", reason: expect.stringContaining("counted once") }),
    );
    expect(report.rejected).toEqual([]);
  });

  it.each([
    ["contentUpdateDate", "2023-02-30 10:31:42"],
    ["contentUpdateDate", "2023-04-31"],
    ["contentUpdateDate", "2022-06-17 24:00:00"],
    ["ecSignatureDate", "2023-02-29"],
    ["startDate", "2023-04-31"],
    ["endDate", "2023-02-30"],
    ["totalCost", "9".repeat(400)],
  ])(
    "rejects project.csv %s = %j at its line, and reports the participations of that project",
    async (column, value) => {
      const projects = originalProjects.map((row) => ({ ...row }));
      const index = 7;
      projects[index]![column] = value;
      copy.write("project.csv", projects);
      const projectId = projects[index]!.id!;
      const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options({ dryRun: true }), log);
      const projectLine = copy.lines.get("project.csv")![index]!;
      expect(report.rejected).toContainEqual(
        expect.objectContaining({
          file: expect.stringMatching(/project\.csv$/),
          line: projectLine,
          field: column,
        }),
      );
      const orphans = report.rejected.filter((p) => p.file.endsWith("organization.csv"));
      expect(orphans.length).toBe(originalOrganisations.filter((row) => row.projectID === projectId).length);
      expect(orphans[0]?.reason).toContain(
        `project ${projectId} was rejected (project.csv line ${projectLine})`,
      );
    },
  );

  it.each([
    ["order", "3000000000"],
    ["order", "-1"],
    ["ecContribution", "1".repeat(400)],
    ["netEcContribution", "12e5"],
    ["contentUpdateDate", "2023-02-29"],
  ])("rejects organization.csv %s = %j at its line", async (column, value) => {
    const rows = originalOrganisations.map((row) => ({ ...row }));
    rows[20]![column] = value;
    copy.write("organization.csv", rows);
    const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options({ dryRun: true }), log);
    expect(report.rejected).toEqual([
      expect.objectContaining({ line: copy.lines.get("organization.csv")![20], field: column }),
    ]);
  });
});

describe("issue 16.4 and --strict: names are cleaned with a warning; with --strict a rejected value writes nothing", () => {
  let driver: Driver;
  let copy: CordisCopy;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
  });
  beforeEach(() => {
    copy = new CordisCopy();
  });
  afterEach(() => copy.remove());
  afterAll(() => driver.close());

  it("removes a backspace and an ANSI colour sequence from an organisation name and warns at its line", async () => {
    const rows = originalOrganisations.map((row) => ({ ...row }));
    const row = rows[5]!;
    const clean = row.name!;
    row.name = `\u001b[31m${clean.slice(0, 3)}\b${clean.slice(3)}\u001b[0m`;
    copy.write("organization.csv", rows);
    const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options(), log);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ line: copy.lines.get("organization.csv")![5], field: "name" }),
    );
    const { records } = await driver.executeQuery(
      "MATCH (o:Organisation {id: $id}) RETURN o.name AS name",
      { id: `org:${row.organisationID}` },
      { database: TEST_DATABASE },
    );
    // The backspace stood between two letters: it becomes a space, the ANSI sequences go whole.
    expect(records[0]!.get("name")).toBe(`${clean.slice(0, 3)} ${clean.slice(3)}`.trim());
    await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
  });

  it("removes a field the export empties from the live project and overwrites the others, then restores them", async () => {
    // The re-import copies each staged project onto its live twin inside Neo4j: the emptied field is
    // named by the staging and removed, the changed one overwritten, the rest left as they were.
    const projects = originalProjects.map((row) => ({ ...row }));
    const changed = projects.find((row) => row.keywords?.trim() && row.acronym?.trim())!;
    changed.keywords = "";
    changed.acronym = "RENAMED";
    copy.write("project.csv", projects);
    const fields = async () => {
      const { records } = await driver.executeQuery(
        "MATCH (p:Project {id: $id}) RETURN p.keywords AS keywords, p.acronym AS acronym, p.title AS title",
        { id: `cordis:${changed.id}` },
        { database: TEST_DATABASE },
      );
      return records[0]!.toObject();
    };
    const before = await fields();
    expect(before.keywords).toEqual(expect.any(String));
    expect(before.acronym).not.toBe("RENAMED");

    const report = await runCordisImport(driver, TEST_DATABASE, copy.dir, options(), log);

    expect(await fields()).toEqual({ keywords: null, acronym: "RENAMED", title: before.title });
    expect(report.run).toMatchObject({ projectsUpdated: 1, projectsAdded: 0 });
    await runCordisImport(driver, TEST_DATABASE, HORIZON_DIR, options(), log);
    expect(await fields()).toEqual(before);
  });

  it("--strict: one impossible date and nothing is written, not even an ImportRun", async () => {
    const projects = originalProjects.map((row) => ({ ...row }));
    projects[3]!.title = "Changed, but never written";
    projects[4]!.startDate = "2023-02-30";
    copy.write("project.csv", projects);
    const before = await graphFingerprint(driver);
    const runs = (await importRuns(driver)).length;
    const attempt = runCordisImport(driver, TEST_DATABASE, copy.dir, options({ strict: true }), log);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`project\\.csv:${copy.lines.get("project.csv")![4]}: startDate: must be a calendar date`),
    );
    expect(await graphFingerprint(driver)).toEqual(before);
    expect((await importRuns(driver)).length).toBe(runs);
  });
});
