import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { SAMPLE_ZIP } from "./helpers/lens-quality.js";

const run = promisify(execFile);
/** `npm run cli -- <args>` as the README gives it, against the test's Neo4j. */
const cli = (...args: string[]) => {
  const { uri, password } = inject("neo4j");
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" },
  });
};

/**
 * A store that no server ever opened has no constraints or indexes. An import into it looked up every
 * node by id with a scan of all nodes: the 19,189 projects of Horizon Europe had written 15,500 project
 * rows after 30 minutes. The CLI's writing commands now create the schema first; a dry run does not.
 */
describe("the command line creates the schema before it writes", () => {
  let driver: Driver;
  const entityIdConstraint = async () => {
    const { records } = await driver.executeQuery(
      "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type WHERE 'Entity' IN labelsOrTypes AND properties = ['id'] RETURN type",
      {},
      { database: TEST_DATABASE },
    );
    return records.map((record) => record.get("type") as string);
  };
  const dropSchema = async () => {
    for (const kind of ["CONSTRAINTS", "INDEXES"]) {
      const { records } = await driver.executeQuery(
        `SHOW ${kind} YIELD name, type WHERE type <> 'LOOKUP' RETURN name`,
        {},
        { database: TEST_DATABASE },
      );
      for (const record of records)
        await driver.executeQuery(
          `DROP ${kind === "CONSTRAINTS" ? "CONSTRAINT" : "INDEX"} \`${record.get("name")}\` IF EXISTS`,
          {},
          { database: TEST_DATABASE },
        );
    }
  };

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await dropSchema();
  }, 120_000);
  afterAll(async () => {
    // The other test files expect the schema the server creates.
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await driver?.close();
  });

  it("a dry run creates nothing; an import into a store without schema creates it first", async () => {
    expect(await entityIdConstraint()).toEqual([]);
    await cli("import", "cordis", SAMPLE_ZIP, "--dry-run");
    expect(await entityIdConstraint()).toEqual([]);
    await cli("import", "cordis", SAMPLE_ZIP);
    expect(await entityIdConstraint()).toEqual(["UNIQUENESS"]);
    const { records } = await driver.executeQuery(
      "MATCH (p:Project) RETURN count(p) AS projects",
      {},
      { database: TEST_DATABASE },
    );
    expect(Number(records[0]!.get("projects"))).toBe(720);
  }, 300_000);
});
