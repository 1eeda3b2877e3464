import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { type BenchSize, generateLandscape, SIZES } from "./generate.js";
import { freshNeo4j, graphCounts, timedImport } from "./import-harness.js";
import { importLandscape } from "./import-landscape.js";

/**
 * npx tsx bench/import-memory.ts [--size L] [--heap 2g]
 *
 * Whether the CORDIS import of a generated landscape (bench/generate.ts, kept in bench/data/<size>)
 * fits an embedded Neo4j with a small heap: a fresh store with the schema, one import, then the time,
 * rows/s, the peak RSS and CPU time of Neo4j's Java process and of the importer (this process), and
 * the graph's counts. Writes bench/results/<date>-import-<size>-<heap>.json; a run that does not fit
 * ends with Neo4j's memory error and writes nothing.
 */
const { values } = parseArgs({
  options: { size: { type: "string", default: "L" }, heap: { type: "string", default: "2g" } },
});
const size = values.size!.toUpperCase() as BenchSize;
if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(", ")}`);
const heap = values.heap!;
const log = createLogger("warn");
const loadAtStart = os.loadavg();
const dataDir = path.join(projectRoot(), "bench", "data", size);
process.stderr.write(`generating ${SIZES[size]} projects into ${dataDir}\n`);
const generated = await generateLandscape(dataDir, SIZES[size]);
const { embedded, driver, stop } = await freshNeo4j("atlas-bench-import-", heap, log);
try {
  process.stderr.write(`importing ${size} with a Neo4j heap of ${heap}\n`);
  const run = await timedImport(
    async () => (await importLandscape(driver, dataDir, log)).report,
    embedded.pid,
  );
  const graph = await graphCounts(driver);
  const result = {
    date: new Date().toISOString(),
    size,
    neo4jHeap: heap,
    machine: { cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    versions: { node: process.version, neo4j: embedded.version },
    generated,
    rowsRead: run.report.rowsRead,
    importSeconds: Number(run.seconds.toFixed(2)),
    rowsPerSecond: Math.round(run.report.rowsRead / run.seconds),
    importPeakRssMb: run.peak.importerMb,
    neo4jPeakRssMb: run.peak.neo4jMb,
    cpuSeconds: run.cpuSeconds,
    profileMs: run.report.timings,
    graph,
    loadAverage: { start: loadAtStart, end: os.loadavg() },
  };
  const dir = path.join(projectRoot(), "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.date.slice(0, 10)}-import-${size}-${heap}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${size} (${result.rowsRead} rows) with a ${heap} heap: ${result.importSeconds} s, ${result.rowsPerSecond} rows/s; ` +
      `peak RSS Neo4j ${result.neo4jPeakRssMb} MB, importer ${result.importPeakRssMb} MB; graph ${result.graph.projects} projects, ${result.graph.participations} participations\nJSON: ${path.relative(process.cwd(), file)}\n`,
  );
} finally {
  await stop();
}
