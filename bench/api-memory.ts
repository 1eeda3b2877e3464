/**
 * The memory of ONE API process at a benchmark size (issue 19: "API memory at L: report it; at most
 * 1.5 GB"). `bench/run.ts` runs two API servers on one Neo4j, so its figures do not isolate an
 * API's peak; here the landscape is imported in this process, then the API runs alone in a
 * child process (`node dist/src/main.js`, as `npm start` runs it, built first by `npm run build`)
 * against the same Neo4j, and its resident memory is read from /proc at each step: ready, after the
 * first analysis (which builds the analysis projection), after every analysis kind with varied
 * filters, and its peak (VmHWM). Writes bench/results/<date>-<size>-api-memory.json.
 *
 * npm run build && node --import tsx bench/api-memory.ts [--size L]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDriver } from "../src/db/connection.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { type ApiProcess, processMemory, startBuiltApi } from "./api-process.js";
import { type BenchSize, generateLandscape, SIZES } from "./generate.js";
import { importLandscape } from "./import-landscape.js";

const { values } = parseArgs({ options: { size: { type: "string", default: "L" } } });
const size = values.size as BenchSize;
if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(", ")}`);
const log = createLogger("warn");

/** Resident and peak resident memory of process `pid`, in MB, from /proc/<pid>/status. */
/** processMemory, which must be had: the API process gone mid-run is a failed run. */
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const memory = processMemory(pid);
  if (!memory) throw new Error(`the API process ${pid} is gone (or /proc is not there)`);
  return memory;
}

const dataDir = path.join(projectRoot(), "bench", "data", size);
process.stderr.write(`generating ${SIZES[size]} projects into ${dataDir}\n`);
await generateLandscape(dataDir, SIZES[size]);
const storeDir = mkdtempSync(path.join(os.tmpdir(), "atlas-bench-memory-"));
const embedded = await startOrAttachEmbeddedNeo4j(
  {
    dataDir: storeDir,
    boltPort: 17000 + Math.floor(Math.random() * 1000),
    password: undefined,
    heap: size === "L" ? "12g" : "2g",
    pageCacheMb: 1024,
    startTimeoutMs: 180_000,
  },
  log,
);
let api: ApiProcess | undefined;
try {
  const driver = createDriver(embedded.uri, embedded.username, embedded.password);
  // The schema's constraints and indexes first, as the API would have applied them: the importer's
  // look-ups by id need the unique index.
  await applySchema(driver, "neo4j", schemaStatements(loadTypeDefs()));
  const { report, seconds } = await importLandscape(driver, dataDir, log);
  await driver.close();
  process.stderr.write(`imported ${report.rowsRead} rows in ${seconds.toFixed(0)} s\n`);

  api = await startBuiltApi(embedded, {}, (line) => process.stderr.write(`${line}\n`));
  const { url, pid } = api;
  const steps: { step: string; ms: number; rssMb: number; peakRssMb: number }[] = [];
  const record = (step: string, ms: number) => {
    steps.push({ step, ms: Math.round(ms), ...memoryOf(pid) });
    process.stderr.write(`${JSON.stringify(steps.at(-1))}\n`);
  };
  record("ready", 0);
  // An analysis request, asked again after a time-out (the first builds the projection).
  const ask = async (step: string, query: string) => {
    const started = performance.now();
    for (;;) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: { message: string }[] };
      if (!body.errors) break;
      if (!/took longer than the limit/.test(body.errors[0]!.message))
        throw new Error(body.errors[0]!.message);
    }
    record(step, performance.now() - started);
  };
  await ask(
    "first analysis (builds the projection)",
    "{ fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR) { cells { value } } }",
  );
  for (const [from, to] of [
    [2010, 2030],
    [2015, 2020],
    [2018, 2024],
  ]) {
    const filters = `fromYear: ${from}, toYear: ${to}`;
    await ask(
      `country network ${from}-${to}`,
      `{ collaborationNetwork(level: COUNTRY, ${filters}) { totalEdges edges { weight } } }`,
    );
    await ask(
      `organisation network ${from}-${to}`,
      `{ collaborationNetwork(level: ORGANISATION, ${filters}, limit: 2000) { totalEdges edges { weight } } }`,
    );
    await ask(
      `country x topic ${from}-${to}`,
      `{ fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, filters: { ${filters} }) { cells { value } } }`,
    );
    await ask(
      `network metrics, countries ${from}-${to}`,
      `{ networkMetrics(level: COUNTRY, ${filters}) { key degree betweenness } }`,
    );
  }
  const result = {
    date: new Date().toISOString(),
    size,
    projects: SIZES[size],
    rows: report.rowsRead,
    machine: { cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    node: process.version,
    steps,
    peakRssMb: Math.max(...steps.map((s) => s.peakRssMb)),
  };
  mkdirSync(path.join(projectRoot(), "bench", "results"), { recursive: true });
  const file = path.join(
    projectRoot(),
    "bench",
    "results",
    `${result.date.slice(0, 10)}-${size}-api-memory.json`,
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nJSON: ${path.relative(projectRoot(), file)}\n`);
} finally {
  await api?.stop();
  await embedded.stop();
  rmSync(storeDir, { recursive: true, force: true });
}
