import { getNamedType, isObjectType } from "graphql";
import type { Driver } from "neo4j-driver";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildAtlasSchema } from "../src/graphql/build-schema.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { InputValidationError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { CordisCopy, HORIZON_DIR } from "./helpers/cordis-copy.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");
const countries = readCountryReference(`${defaultSeedDir()}/reference`);

describe("issue 16: dataVersion grows with every committed change, and only then", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let copy: CordisCopy | undefined;
  const version = async () =>
    expectData(
      await postGraphQL<{ dataVersion: { version: number; updatedAt: string | null } }>(
        atlas.http.url,
        "{ dataVersion { version updatedAt } }",
      ),
    ).dataVersion;

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    // A store that was never written: clearDatabase records its wipe as a change, this one has none.
    await driver.executeQuery("MATCH (v:DataVersion) DELETE v", {}, { database: TEST_DATABASE });
    atlas = await startAtlas(testConfig({ autoSeed: false }), log);
  });
  afterEach(() => {
    copy?.remove();
    copy = undefined;
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  it("is 0 with no updatedAt before the first change", async () => {
    expect(await version()).toEqual({ version: 0, updatedAt: null });
  });

  it("grows after a seed, and the seed writes an ImportRun", async () => {
    const before = await version();
    const report = await loadSeed(driver, TEST_DATABASE, log);
    const after = await version();
    expect(after.version).toBe(before.version + 1);
    expect(after.updatedAt).not.toBeNull();
    const runs = expectData(
      await postGraphQL<{
        importRuns: { id: string; source: string; status: string; files: { path: string }[] }[];
      }>(
        atlas.http.url,
        "{ importRuns(sort: [{ startedAt: DESC }], limit: 1) { id source status files { path } } }",
      ),
    ).importRuns;
    expect(runs).toEqual([
      expect.objectContaining({ id: report.run.id, source: "seed", status: "SUCCEEDED" }),
    ]);
    expect(runs[0]!.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["seed/icpermed.yaml", "seed/cordis/horizon/project.csv"]),
    );
  });

  it("grows after an import; not after a dry run nor after a failed (strict) import", async () => {
    const start = await version();
    await runCordisImport(
      driver,
      TEST_DATABASE,
      HORIZON_DIR,
      { countries, dryRun: true, strict: false },
      log,
    );
    expect(await version()).toEqual(start);

    copy = new CordisCopy();
    const projects = readCordisCsv(`${HORIZON_DIR}/project.csv`);
    projects[0]!.endDate = "2023-04-31";
    copy.write("project.csv", projects);
    await expect(
      runCordisImport(driver, TEST_DATABASE, copy.dir, { countries, dryRun: false, strict: true }, log),
    ).rejects.toBeInstanceOf(InputValidationError);
    expect(await version()).toEqual(start);

    await runCordisImport(
      driver,
      TEST_DATABASE,
      HORIZON_DIR,
      { countries, dryRun: false, strict: false },
      log,
    );
    const after = await version();
    expect(after.version).toBe(start.version + 1);
    expect(Date.parse(after.updatedAt!)).toBeGreaterThanOrEqual(Date.parse(start.updatedAt!));
  });

  it("grows after a mutation that writes, in the same transaction; not after one that changes nothing or a query", async () => {
    const admin = { authorization: `Bearer ${await adminToken()}` };
    const start = await version();
    expectData(await postGraphQL(atlas.http.url, "{ topics(limit: 1) { id } }"));
    expect(await version()).toEqual(start);

    expectData(
      await postGraphQL(
        atlas.http.url,
        `mutation { createTopics(input: [{ id: "topic:test-version", name: "Version", scheme: "ATLAS" }]) { topics { id } } }`,
        undefined,
        admin,
      ),
    );
    expect((await version()).version).toBe(start.version + 1);

    expectData(
      await postGraphQL(
        atlas.http.url,
        `mutation { deleteTopics(where: { id: { eq: "topic:no-such-topic" } }) { nodesDeleted } }`,
        undefined,
        admin,
      ),
    );
    expect((await version()).version).toBe(start.version + 1);

    expectData(
      await postGraphQL(
        atlas.http.url,
        `mutation { deleteTopics(where: { id: { eq: "topic:test-version" } }) { nodesDeleted } }`,
        undefined,
        admin,
      ),
    );
    expect((await version()).version).toBe(start.version + 2);
  });
});

describe("issue 16: ImportRun is read-only in the API", () => {
  it("has queries (importRuns sortable by startedAt) and no mutations", async () => {
    const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(mutations.filter((name) => /ImportRun|ImportFile|DataVersion/i.test(name))).toEqual([]);
    // Other types keep theirs: the check above would pass vacuously on a schema without mutations.
    expect(mutations).toContain("createTopics");
    const importRuns = schema.getQueryType()!.getFields().importRuns!;
    const sort = getNamedType(importRuns.args.find((arg) => arg.name === "sort")!.type);
    expect(Object.keys((sort as { getFields(): object }).getFields())).toContain("startedAt");
    const run = schema.getType("ImportRun");
    expect(isObjectType(run)).toBe(true);
    if (!isObjectType(run)) return;
    expect(Object.keys(run.getFields())).toEqual(
      expect.arrayContaining([
        "id",
        "source",
        "startedAt",
        "finishedAt",
        "status",
        "files",
        "rowsRead",
        "rowsRejected",
        "projectsAdded",
        "projectsUpdated",
        "projectsRemoved",
        "participationsAdded",
        "participationsRemoved",
        "participationsChanged",
      ]),
    );
  });
});
