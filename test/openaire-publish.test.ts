import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { fundingByFunder } from "../src/analysis/funder-money.js";
import { readDataVersion } from "../src/db/data-version.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { ImportBusyError, stagingStatus } from "../src/import/openaire/openaire-staging.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import type { RunningHttpServer } from "../src/server/http-server.js";
import { ImportInterruptedError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";
import { startBareServer } from "./helpers/http-server.js";
import {
  OPENAIRE_FIXTURES as FIXTURES,
  OPENAIRE_FUNDER_MODEL as FUNDER_MODEL,
  openAireGraphId as idOf,
  type Json,
  openAireOptions as options,
  readJsonLines as readLines,
  fundingShortNames as shortNames,
  OPENAIRE_V7 as V7,
} from "./helpers/openaire.js";

/**
 * Issue 21.2: "the import must not hold [the dump] in one transaction. Design an import that stays
 * all-or-nothing from a reader's point of view at that size". The write pass stages in batches that no
 * reader sees; one transaction publishes. These tests look at the graph as readers do (GraphQL through
 * the server, Cypher on :Project, an analysis) between batches, after a failure, after an interrupt and
 * after kill -9 of the CLI.
 */

const log = createLogger("silent");

const notEc = (r: Json) => !shortNames(r).includes("EC");

/** The real 7.x file with the titles of its first two non-EC records changed: an older state of the dump. */
function olderDump(dir: string): { file: string; changed: string[] } {
  const records = readLines(V7);
  const changed = records.filter(notEc).slice(0, 2);
  const older = records.map((r) => (changed.includes(r) ? { ...r, title: `${r.title} (older title)` } : r));
  const file = path.join(dir, "older.jsonl");
  writeFileSync(file, `${older.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return { file, changed: changed.map(idOf) };
}

/**
 * What a reader can reach: Entity nodes and the relationships between them (no staged node, no lock),
 * as a checksum. Staged nodes are not Entity; graphFingerprint (every node) is used where the staging
 * must be gone too.
 */
async function readerView(driver: Driver): Promise<string> {
  const { records } = await driver.executeQuery(
    `MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->(m:Entity)
     WITH n, collect(type(r) + '>' + m.id) AS out
     RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, out ORDER BY id`,
    {},
    { database: TEST_DATABASE },
  );
  return JSON.stringify(
    records.map((r) => [
      r.get("id"),
      [...(r.get("labels") as string[])].sort(),
      Object.entries(r.get("props") as Json)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, String(v)]),
      [...(r.get("out") as string[])].sort(),
    ]),
  );
}

const openAireProjects = (driver: Driver) =>
  count(driver, "MATCH (p:Project) WHERE p.id STARTS WITH 'openaire:' RETURN count(p)");
const staged = (driver: Driver) => count(driver, "MATCH (s:OpenAireStaged) RETURN count(s)");
const locks = (driver: Driver) => count(driver, "MATCH (l:OpenAireImportLock) RETURN count(l)");

const PROJECTS = `query { projects(where: { id: { startsWith: "openaire:" } }, sort: [{ id: ASC }], limit: 500) { id title programmes { id } } }`;

describe("issue 21.2: a reader sees the graph of before during the write pass, and everything after the publish", () => {
  let driver: Driver;
  let server: RunningHttpServer;
  let dir: string;
  beforeAll(async () => {
    driver = testDriver();
    dir = mkdtempSync(path.join(os.tmpdir(), "openaire-publish-"));
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    server = await startBareServer(driver);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true });
    await driver.close();
  });

  it("with --batch-size 2: after each batch GraphQL, Cypher and an analysis answer as before; then all projects are there, the changed ones updated", async () => {
    const older = olderDump(dir);
    await runOpenAireImport(driver, TEST_DATABASE, older.file, options(), log);
    const context = { driver, database: TEST_DATABASE };
    const ask = async () => expectData(await postGraphQL(server.url, PROJECTS));
    const before = {
      graphql: await ask(),
      projects: await openAireProjects(driver),
      money: await fundingByFunder(context, {}),
      view: await readerView(driver),
    };
    expect(before.projects).toBe(readLines(V7).filter(notEc).length);
    const stagedSeen: number[] = [];
    const report = await runOpenAireImport(
      driver,
      TEST_DATABASE,
      FIXTURES,
      options({
        batchSize: 2,
        onBatchCommitted: async () => {
          stagedSeen.push(await staged(driver));
          expect(await ask()).toEqual(before.graphql);
          expect(await openAireProjects(driver)).toBe(before.projects);
          expect(await fundingByFunder(context, {})).toEqual(before.money);
          expect(await readerView(driver)).toBe(before.view);
        },
      }),
      log,
    );
    const expected = [...readLines(V7), ...readLines(FUNDER_MODEL)].filter(notEc);
    expect(stagedSeen.length).toBe(Math.ceil(expected.length / 2));
    // The write pass really wrote (the checks above looked at a graph with staged projects in it) ...
    expect(Math.max(...stagedSeen)).toBeGreaterThan(0);
    // ... exactly the new projects and the two changed ones: the unchanged V7 records were dropped.
    const added = readLines(FUNDER_MODEL).filter(notEc).length;
    expect(report.staged).toBe(added + older.changed.length);
    expect(report.counts).toMatchObject({ projectsAdded: added, projectsUpdated: older.changed.length });
    expect(report.changes.filter((c) => c.change === "PROJECT_UPDATED").map((c) => c.id)).toEqual(
      [...older.changed].sort(),
    );
    expect(await staged(driver)).toBe(0);
    expect(await locks(driver)).toBe(0);
    // The same GraphQL query now sees every project, with the titles of the newer dump.
    const after = (await ask()) as { projects: { id: string; title: string }[] };
    expect(after.projects.map((p) => p.id)).toEqual(expected.map(idOf).sort());
    const titles = new Map(expected.map((r) => [idOf(r), r.title]));
    for (const project of after.projects) expect(project.title).toBe(titles.get(project.id));
  });
});

describe("issue 21.2: a second import of the same dump stages and publishes nothing", () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
  });
  afterAll(async () => driver.close());

  it("stages 0 projects, counts 0, same graph, one data-version step (its ImportRun)", async () => {
    const first = await runOpenAireImport(driver, TEST_DATABASE, FIXTURES, options({ batchSize: 4 }), log);
    const expected = [...readLines(V7), ...readLines(FUNDER_MODEL)].filter(notEc).length;
    expect(first.staged).toBe(expected);
    const before = await graphFingerprint(driver);
    const session = driver.session({ database: TEST_DATABASE });
    const version = async () => (await session.executeRead((tx) => readDataVersion(tx))).version;
    const versionBefore = await version();
    const again = await runOpenAireImport(driver, TEST_DATABASE, FIXTURES, options({ batchSize: 4 }), log);
    expect(again.staged).toBe(0);
    expect(Object.values(again.counts)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await version()).toBe(versionBefore + 1);
    expect(await graphFingerprint(driver)).toEqual(before);
    await session.close();
  });
});

describe("issue 21.2: an interrupted import (AbortSignal) and a second import at once change nothing", () => {
  let driver: Driver;
  let dir: string;
  beforeAll(() => {
    driver = testDriver();
    dir = mkdtempSync(path.join(os.tmpdir(), "openaire-publish-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true });
    await driver.close();
  });
  beforeEach(async () => {
    await clearDatabase(driver);
    await runOpenAireImport(driver, TEST_DATABASE, olderDump(dir).file, options(), log);
  });

  it("aborted after batch 1: rejects with ImportInterruptedError, its staging and lock are removed, the graph is as before", async () => {
    const before = await graphFingerprint(driver);
    const interruption = new AbortController();
    let stagedAtAbort = 0;
    await expect(
      runOpenAireImport(
        driver,
        TEST_DATABASE,
        FIXTURES,
        options({
          batchSize: 2,
          signal: interruption.signal,
          onBatchCommitted: async ({ index }) => {
            if (index !== 1) return;
            stagedAtAbort = await staged(driver);
            interruption.abort();
          },
        }),
        log,
      ),
    ).rejects.toBeInstanceOf(ImportInterruptedError);
    expect(stagedAtAbort).toBeGreaterThan(0);
    expect(await graphFingerprint(driver)).toEqual(before);
  });

  it("refuses to start while a live import holds the lock, naming it; takes over a lock whose process is gone", async () => {
    const before = await graphFingerprint(driver);
    // A lock as a running import writes it, heartbeat now.
    const lock = (pid: number) =>
      driver.executeQuery(
        `MERGE (l:OpenAireImportLock {id: 'openaire-import'})
         SET l.runId = 'importrun:other', l.pid = $pid, l.host = $host, l.startedAt = toString(datetime()),
           l.heartbeat = toString(datetime()), l.heartbeatMs = timestamp()`,
        { pid, host: os.hostname() },
        { database: TEST_DATABASE },
      );
    // This test's own process is alive and on this host: a live holder.
    await lock(process.pid);
    const refused = runOpenAireImport(driver, TEST_DATABASE, FIXTURES, options(), log);
    await expect(refused).rejects.toBeInstanceOf(ImportBusyError);
    await expect(refused).rejects.toThrow("run importrun:other, process");
    await driver.executeQuery("MATCH (l:OpenAireImportLock) DELETE l", {}, { database: TEST_DATABASE });
    expect(await graphFingerprint(driver)).toEqual(before);
    // A process that has exited: its lock is abandoned.
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => gone.once("exit", resolve));
    await lock(gone.pid!);
    const report = await runOpenAireImport(driver, TEST_DATABASE, FIXTURES, options(), log);
    expect(report.counts.projectsAdded).toBe(readLines(FUNDER_MODEL).filter(notEc).length);
    expect(await locks(driver)).toBe(0);
  });
});

/**
 * Runs `import openaire FIXTURES --batch-size 1` through the CLI in a child process (tsx) against the
 * test Neo4j, and waits for its first "openaire batch committed" debug line (a condition, not a sleep).
 * Returns the child, stopped (SIGSTOP) at that line, and a promise of its exit code. The child may have
 * staged a batch or two more before the stop lands; one record per batch leaves it far from its
 * publish, and the callers check that the staging is still there (a published run would have none).
 */
async function importUntilFirstBatch() {
  const { uri, password } = inject("neo4j");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "import", "openaire", FIXTURES, "--batch-size", "1"],
    {
      env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "debug" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on("line", (line) => {
      if (line.includes('"openaire batch committed"')) {
        child.kill("SIGSTOP");
        lines.close();
        // Keep draining: a full stderr pipe would block the child once it runs again.
        child.stderr!.resume();
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`the import exited (${code}) before its first batch`)));
  });
  return { child, exited };
}

describe("issue 21.2: after kill -9 of the CLI mid write pass readers see the graph of before; the next import removes the leftover and ends as a clean import", () => {
  let driver: Driver;
  let dir: string;
  beforeAll(async () => {
    driver = testDriver();
    dir = mkdtempSync(path.join(os.tmpdir(), "openaire-publish-"));
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true });
    await driver.close();
  });

  it("kill -9 after the first batch: nothing visible changed, the staging is reported; a re-import equals a clean import", async () => {
    await runOpenAireImport(driver, TEST_DATABASE, FIXTURES, options(), log);
    const clean = await graphFingerprint(driver);
    await clearDatabase(driver);
    const older = olderDump(dir);
    await runOpenAireImport(driver, TEST_DATABASE, older.file, options(), log);
    const context = { driver, database: TEST_DATABASE };
    const before = {
      view: await readerView(driver),
      projects: await openAireProjects(driver),
      money: await fundingByFunder(context, {}),
      runs: await count(driver, "MATCH (r:ImportRun) RETURN count(r)"),
    };

    const { child, exited } = await importUntilFirstBatch();
    child.kill("SIGKILL");
    await exited;
    const leftover = await stagingStatus(driver, TEST_DATABASE);
    expect(leftover.stagedProjects).toBeGreaterThan(0);
    expect(leftover.lock).toMatchObject({ pid: child.pid, alive: false });
    expect(await readerView(driver)).toBe(before.view);
    expect(await openAireProjects(driver)).toBe(before.projects);
    expect(await fundingByFunder(context, {})).toEqual(before.money);
    expect(await count(driver, "MATCH (r:ImportRun) RETURN count(r)")).toBe(before.runs);
    // What an operator sees: `db status` reports the leftover staging and the dead holder of the lock.
    const { uri, password } = inject("neo4j");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "db", "status"],
      { env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" } },
    );
    expect((JSON.parse(stdout) as { openaireStaging: unknown }).openaireStaging).toMatchObject({
      stagedProjects: leftover.stagedProjects,
      lock: { pid: child.pid, alive: false },
    });

    const report = await runOpenAireImport(driver, TEST_DATABASE, FIXTURES, options(), log);
    expect(report.leftoverStagingRemoved).toBe(leftover.stagedProjects);
    expect(report.counts).toMatchObject({
      projectsAdded: readLines(FUNDER_MODEL).filter(notEc).length,
      projectsUpdated: older.changed.length,
    });
    expect((await stagingStatus(driver, TEST_DATABASE)).stagedProjects).toBe(0);
    expect(await graphFingerprint(driver)).toEqual(clean);
  });

  it("Ctrl-C (SIGINT) of the CLI mid write pass: exit code 130, its staging removed, the graph as before", async () => {
    const before = await graphFingerprint(driver);
    await driver.executeQuery(
      "MATCH (p:Project) WHERE p.id STARTS WITH 'openaire:' WITH p LIMIT 3 SET p.title = p.title + ' (older title)'",
      {},
      { database: TEST_DATABASE },
    );
    const changed = await graphFingerprint(driver);
    expect(changed).not.toEqual(before);
    const { child, exited } = await importUntilFirstBatch();
    child.kill("SIGINT");
    child.kill("SIGCONT");
    expect(await exited).toBe(130);
    expect(await staged(driver)).toBe(0);
    expect(await locks(driver)).toBe(0);
    expect(await graphFingerprint(driver)).toEqual(changed);
  });
});
