import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadTypeDefs } from "../src/graphql/type-defs.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { ImportInterruptedError } from "../src/import/problems.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";

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
