import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";

const log = createLogger("silent");
const subsetDir = path.join(defaultSeedDir(), "cordis", "horizon");
const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));

/** The staging area's labels, written here rather than imported: the test states what it looks for. */
const STAGING = "n:CordisStaged OR n:CordisImportLock";

/**
 * What a reader can see: every node and relationship except the staging area and the run records,
 * as one checksum. Written independently of the importer (plain Cypher over the whole store).
 */
async function visibleGraph(
  driver: Driver,
): Promise<{ nodes: number; relationships: number; checksum: string }> {
  const excluded = `${STAGING} OR n:ImportRun OR n:ImportFile OR n:DataVersion`;
  const nodes = await driver.executeQuery(
    `MATCH (n) WHERE NOT (${excluded}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p ORDER BY id`,
    {},
    { database: TEST_DATABASE },
  );
  const rels = await driver.executeQuery(
    `MATCH (n)-[r]->(b) WHERE NOT (${excluded}) RETURN n.id + ' ' + type(r) + ' ' + b.id AS line, properties(r) AS p ORDER BY line`,
    {},
    { database: TEST_DATABASE },
  );
  const text = (value: unknown) =>
    JSON.stringify(value, (_key, v) =>
      v && typeof v === "object" && "low" in v
        ? String(v)
        : v && typeof v === "object" && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
          : v,
    );
  const lines = [
    ...nodes.records.map((r) => `N ${r.get("id")} ${[...r.get("labels")].sort()} ${text(r.get("p"))}`),
    ...rels.records.map((r) => `R ${r.get("line")} ${text(r.get("p"))}`),
  ].sort();
  return {
    nodes: nodes.records.length,
    relationships: rels.records.length,
    checksum: createHash("sha256").update(lines.join("\n")).digest("hex"),
  };
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A CORDIS import stages its export, then publishes it in one transaction. A process killed (-9, no
 * clean-up) once everything is staged and while its publish waits for a lock must leave what readers
 * see as it was, and the next import must remove the staging it left and import as usual.
 */
describe("a CORDIS import killed between staging and publish", () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await runCordisImport(driver, TEST_DATABASE, subsetDir, { countries, dryRun: false, strict: false }, log);
  });
  afterAll(() => driver.close());

  it("leaves the graph as it was, and the next import removes what it staged", async () => {
    const before = await visibleGraph(driver);
    const fingerprint = await graphFingerprint(driver);
    const versionBefore = await count(driver, "MATCH (v:DataVersion) RETURN coalesce(max(v.version), 0)");
    const runsBefore = await count(driver, "MATCH (r:ImportRun) RETURN count(r)");
    // The Source is written by the publish only: holding its lock holds the publish after all staging.
    const lockSession = driver.session({ database: TEST_DATABASE });
    const lock = lockSession.beginTransaction();
    const { uri, password } = inject("neo4j");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "import", "cordis", subsetDir],
      {
        env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" },
        stdio: "ignore",
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await lock.run("MATCH (s:Source {id: 'source:cordis-horizon-projects'}) SET s.lockedByTest = true");
      await until(
        "the import's publish waiting for the lock",
        async () => {
          const { records } = await driver.executeQuery(
            "SHOW TRANSACTIONS YIELD metaData, status WHERE metaData.job = 'import cordis' AND metaData.step = 'publish' AND metaData.pid = $pid RETURN status",
            { pid: neo4j.int(child.pid!) },
            { database: TEST_DATABASE },
          );
          return records.some((r) => String(r.get("status")).startsWith("Blocked"));
        },
        120_000,
      );
      child.kill("SIGKILL");
      await exited;
    } finally {
      await lock.rollback();
      await lockSession.close();
    }
    // Neo4j rolls back the publish of a client that is gone; the staging stays, out of readers' sight.
    await until(
      "Neo4j ended the killed import's publish",
      async () =>
        (
          await driver.executeQuery(
            "SHOW TRANSACTIONS YIELD metaData WHERE metaData.job = 'import cordis' RETURN count(*) AS n",
            {},
            { database: TEST_DATABASE },
          )
        ).records[0]!.get("n").toNumber() === 0,
      60_000,
    );
    expect(await visibleGraph(driver)).toEqual(before);
    expect(await count(driver, "MATCH (n:CordisStaged) RETURN count(n)")).toBeGreaterThan(0);
    expect(await count(driver, "MATCH (l:CordisImportLock) RETURN count(l)")).toBe(1);
    expect(await count(driver, "MATCH (v:DataVersion) RETURN coalesce(max(v.version), 0)")).toBe(
      versionBefore,
    );
    expect(await count(driver, "MATCH (r:ImportRun) RETURN count(r)")).toBe(runsBefore);
    // Staged nodes are unreachable: no relationship joins one to a node a reader can see.
    expect(await count(driver, "MATCH (n:CordisStaged)--(m) WHERE NOT m:CordisStaged RETURN count(*)")).toBe(
      0,
    );

    // The next import takes over the dead process's lock, removes its staging and imports.
    const next = await runCordisImport(
      driver,
      TEST_DATABASE,
      subsetDir,
      { countries, dryRun: false, strict: false },
      log,
    );
    expect(next.run?.status).toBe("SUCCEEDED");
    expect(await count(driver, `MATCH (n) WHERE ${STAGING} RETURN count(n)`)).toBe(0);
    // The same export again: nothing a reader sees changed, one more run and data version.
    expect(await graphFingerprint(driver)).toEqual(fingerprint);
    expect(await count(driver, "MATCH (r:ImportRun) RETURN count(r)")).toBe(runsBefore + 1);
  });
});
