import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { readLensDir } from "../src/classify/lens-file.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { generateOpenAireDump } from "./generate.js";
import { freshNeo4j } from "./import-harness.js";

/**
 * npm run bench:openaire [-- --records 1000000] [--funder NIH,ANR,CIHR] [--lens atlas] [--tier CORE]
 * Generates a synthetic OpenAIRE dump (bench/data/openaire-<n>.json.gz, kept between runs), then imports
 * it with the filters into a fresh embedded Neo4j: records/s over the whole run (validate + write),
 * time, the importer's peak RSS, and the load average of the (shared) machine before and after.
 */
const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    funder: { type: "string", default: "NIH,ANR,CIHR,SNSF,FWF,HRB" },
    lens: { type: "string", default: "atlas" },
    tier: { type: "string", default: "CORE" },
    match: { type: "string" },
  },
});
const records = Number(values.records);
const log = createLogger("warn");
const file = path.join(projectRoot(), "bench", "data", `openaire-${records}.json.gz`);
if (!existsSync(file)) {
  process.stderr.write(`generating ${records} OpenAIRE records into ${file}\n`);
  const t = performance.now();
  await generateOpenAireDump(file, records);
  process.stderr.write(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
const { driver, stop } = await freshNeo4j("atlas-bench-openaire-", "1g", log);
try {
  const lens = values.lens
    ? readLensDir(path.join(defaultSeedDir(), "lenses")).find((l) => l.lens === values.lens)
    : undefined;
  const split = (v: string | undefined) => (v ? v.split(",").filter(Boolean) : undefined);
  const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const loadBefore = load();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  // The end of pass 1 (read, validate, filter): its last progress report, at the end of the last file.
  let validatedAt = started;
  const report = await runOpenAireImport(
    driver,
    "neo4j",
    file,
    {
      countries: readCountryReference(path.join(defaultSeedDir(), "reference")),
      dryRun: false,
      strict: false,
      funders: split(values.funder),
      lens,
      tiers: split(values.tier),
      match: values.match ? new RegExp(values.match, "i") : undefined,
      onProgress: ({ phase }) => {
        if (phase === "validate") validatedAt = performance.now();
      },
    },
    log,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  const result = {
    date: new Date().toISOString(),
    records: report.rowsRead,
    fileBytes: statSync(file).size,
    filters: { funder: values.funder, lens: values.lens, tier: values.tier, match: values.match ?? null },
    kept: report.projects,
    filteredOut: report.filteredOut,
    skippedEuropeanCommission: report.skippedEuropeanCommission,
    projectsAdded: report.counts.projectsAdded,
    // Issue 21.2: projects staged by the write pass, and the one publish transaction that made them visible.
    staged: report.staged,
    publishSeconds: Number((report.publishMs / 1000).toFixed(2)),
    // Pass 1 (read, validate, filter the whole dump; nothing written) and the write pass until publish.
    validateSeconds: Number(((validatedAt - started) / 1000).toFixed(2)),
    transactions: report.transactions,
    seconds: Number(seconds.toFixed(1)),
    recordsPerSecond: Math.round(report.rowsRead / seconds),
    // The importer's own CPU time (main thread and zlib's pool; Neo4j's is not in it): what a quiet
    // machine's wall-clock time would approach, since the load of the shared machine stretches the wall clock.
    importerCpuSeconds: Number(cpuSeconds.toFixed(1)),
    recordsPerImporterCpuSecond: Math.round(report.rowsRead / cpuSeconds),
    peakRssMb: Math.round(peakRss / 2 ** 20),
    cpus: os.cpus().length,
    loadAverageBefore: loadBefore,
    loadAverageAfter: load(),
    node: process.version,
  };
  const out = path.join(
    projectRoot(),
    "bench",
    "results",
    `${result.date.slice(0, 10)}-openaire-${records}.json`,
  );
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stop();
}
