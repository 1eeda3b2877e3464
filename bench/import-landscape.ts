import path from "node:path";
import type { Driver } from "neo4j-driver";
import { type RunCordisImportReport, runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import type { Logger } from "../src/util/logger.js";

/**
 * Imports a generated landscape (`bench/generate.ts`, CORDIS layout, in `dataDir`) into database
 * `neo4j` through the CORDIS importer, as a user's import would run (one transaction, no filters),
 * with the seed's country reference. Returns the importer's report and the wall time in seconds.
 */
export async function importLandscape(
  driver: Driver,
  dataDir: string,
  log: Logger,
): Promise<{ report: RunCordisImportReport; seconds: number }> {
  const started = performance.now();
  const report = await runCordisImport(
    driver,
    "neo4j",
    dataDir,
    {
      countries: readCountryReference(path.join(defaultSeedDir(), "reference")),
      dryRun: false,
      strict: false,
    },
    log,
  );
  return { report, seconds: (performance.now() - started) / 1000 };
}
