import { spawn } from "node:child_process";
import path from "node:path";
import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { ImportInterruptedError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";

const log = createLogger("silent");
const subsetDir = path.join(defaultSeedDir(), "cordis", "horizon");
const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));

/**
 * Issue 22.6: the importer is a library function; it installs no signal handlers and never exits the
 * process. A caller interrupts it through an AbortSignal (the CLI aborts on SIGINT/SIGTERM).
 */
describe("issue 22.6: interrupting runCordisImport through its signal", () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
  });
  afterAll(() => driver.close());

  it("rolls back a write in progress, rejects with ImportInterruptedError, and touches no process handler", async () => {
    const before = await graphFingerprint(driver);
    const listeners = () => [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    const handlersBefore = listeners();
    const interruption = new AbortController();
    let batches = 0;
    const seen: number[][] = [];
    const attempt = runCordisImport(
      driver,
      TEST_DATABASE,
      subsetDir,
      {
        countries,
        dryRun: false,
        strict: false,
        signal: interruption.signal,
        onBatchWritten: () => {
          seen.push(listeners());
          // The first batch is written inside the transaction: interrupt there.
          if (++batches === 1) interruption.abort();
        },
      },
      log,
    );
    await expect(attempt).rejects.toBeInstanceOf(ImportInterruptedError);
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toEqual(handlersBefore);
    expect(listeners()).toEqual(handlersBefore);
    expect(await graphFingerprint(driver)).toEqual(before);
  });

  it("an already aborted signal stops the run before it opens a session", async () => {
    const unusable = new Proxy({} as Driver, {
      get: () => {
        throw new Error("the driver must not be used");
      },
    });
    await expect(
      runCordisImport(
        unusable,
        TEST_DATABASE,
        subsetDir,
        { countries, dryRun: false, strict: false, signal: AbortSignal.abort() },
        log,
      ),
    ).rejects.toBeInstanceOf(ImportInterruptedError);
  });
});

/** The CORDIS import transactions of process `pid` that Neo4j holds open, with their status. */
async function importTransactions(driver: Driver, pid: number): Promise<string[]> {
  const { records } = await driver.executeQuery(
    "SHOW TRANSACTIONS YIELD metaData, status WHERE metaData.job = 'import cordis' AND metaData.pid = $pid RETURN status",
    { pid: neo4j.int(pid) },
    { database: TEST_DATABASE },
  );
  return records.map((record) => String(record.get("status")));
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A signal while a query of the import waits inside Neo4j: the client's rollback alone waits for that
 * query (a closed client left the transaction running for minutes, issue 31). The test holds the lock
 * of a node the import's first batch writes, so that the import is blocked inside its transaction when
 * the signal comes; the command must exit within 5 seconds and Neo4j must have ended the transaction
 * by then, while the test still holds the lock.
 */
describe("SIGINT and SIGTERM end a CLI import within 5 seconds, and its transaction on the server", () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await runCordisImport(driver, TEST_DATABASE, subsetDir, { countries, dryRun: false, strict: false }, log);
  });
  afterAll(() => driver.close());

  const state = async () => ({
    graph: await graphFingerprint(driver),
    dataVersion: await count(driver, "MATCH (v:DataVersion) RETURN coalesce(max(v.version), 0)"),
    importRuns: await count(driver, "MATCH (r:ImportRun) RETURN count(r)"),
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s while the import waits for a lock inside its transaction",
    async (signal) => {
      const before = await state();
      const lockSession = driver.session({ database: TEST_DATABASE });
      const lock = lockSession.beginTransaction();
      try {
        await lock.run("MATCH (s:Source {id: 'source:cordis-horizon-projects'}) SET s.lockedByTest = true");
        const { uri, password } = inject("neo4j");
        const child = spawn(
          process.execPath,
          ["--import", "tsx", "src/cli/main.ts", "import", "cordis", subsetDir],
          {
            env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" },
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        let stderr = "";
        child.stderr!.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        await until(
          "the import blocked inside its transaction",
          async () =>
            (await importTransactions(driver, child.pid!)).some((s) => s.startsWith("Blocked"))
              ? true
              : undefined,
          120_000,
        );
        const signalled = Date.now();
        child.kill(signal);
        const code = await Promise.race([
          exited,
          new Promise<"running">((r) => setTimeout(() => r("running"), 5_000)),
        ]);
        const exitMs = Date.now() - signalled;
        if (code === "running") child.kill("SIGKILL");
        expect({ code, stderr }).toMatchObject({ code: 130 });
        expect(exitMs).toBeLessThan(5_000);
        // Ended by the termination and its rollback, not by the command's last-resort exit.
        expect(stderr).not.toContain("did not finish in time");
        // Ended on the server too, while the lock it waited for is still held.
        await until(
          "Neo4j ended the import's transaction",
          async () => ((await importTransactions(driver, child.pid!)).length === 0 ? true : undefined),
          Math.max(0, 5_000 - (Date.now() - signalled)),
        );
      } finally {
        await lock.rollback();
        await lockSession.close();
      }
      expect(await state()).toEqual(before);
    },
  );
});
