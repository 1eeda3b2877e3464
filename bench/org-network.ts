import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import neo4j from "neo4j-driver";
import { type AnalysisProjection, loadProjection } from "../src/analysis/analysis-projection.js";
import { graphDataVersion } from "../src/analysis/answer-cache.js";
import { loadConfig } from "../src/config/config.js";
import { createDriver } from "../src/db/connection.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { type BenchSize, generateLandscape, SIZES } from "./generate.js";
import { HttpClient } from "./http-client.js";
import { importLandscape } from "./import-landscape.js";
import { type Measurement, measure } from "./measure.js";
import { projectionNetworkSideBySide } from "./network-side-by-side.js";
import { variedYears } from "./operations.js";

/**
 * npx tsx bench/org-network.ts [--size M] [--requests 40] [--store DIR] [--skip-graphql]
 *
 * Issue 19a, side by side in ONE run on ONE store: the organisation and country networks computed on
 * the analysis projection by the code before this change (bench/legacy-projection-network.ts) and by
 * the current code (src/analysis/projection-network.ts), the same requests alternating between them
 * (year ranges varied as bench/run.ts varies them), each answer of the two compared; then through
 * GraphQL (uncached, and cached) with where a cached answer's time goes: the HTTP/GraphQL pipeline of
 * a query without data, the data-version read, and the rest (execution and serialisation of the answer).
 *
 * The store (a generated landscape imported through the CORDIS importer, as bench/run.ts does) is kept
 * in --store (default: a folder in the OS temp dir named by size) and reused by later runs.
 */
const { values } = parseArgs({
  options: {
    size: { type: "string", default: "M" },
    requests: { type: "string", default: "40" },
    store: { type: "string" },
    "skip-graphql": { type: "boolean", default: false },
  },
});
const size = values.size!.toUpperCase() as BenchSize;
if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(", ")}`);
const requests = Number(values.requests);
const storeDir = values.store ?? path.join(os.tmpdir(), `atlas-bench-19a-${size}`);
const log = createLogger("warn");
const loadAtStart = os.loadavg();

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const fresh = !existsSync(storeDir);
mkdirSync(storeDir, { recursive: true });
const embedded = await startOrAttachEmbeddedNeo4j(
  {
    dataDir: storeDir,
    boltPort: await freePort(),
    password: undefined,
    heap: size === "L" ? "12g" : "2g",
    pageCacheMb: 1024,
    startTimeoutMs: 600_000,
  },
  log,
);
const config = loadConfig({
  NEO4J_URI: embedded.uri,
  NEO4J_PASSWORD: embedded.password,
  ATLAS_AUTO_SEED: "false",
  LOG_LEVEL: "warn",
  ATLAS_MAX_COST: "1000000",
});
const driver = createDriver(embedded.uri, embedded.username, embedded.password);
const stops: (() => Promise<void>)[] = [];
try {
  // The uncached server also sets up the schema (constraints) before a first import.
  const atlas = await startAtlas({ ...config, port: 0, answerCacheEntries: 0 }, log);
  stops.push(() => atlas.stop());
  const projectCount = (
    await driver.executeQuery("MATCH (p:Project) RETURN count(p) AS n", {}, { database: "neo4j" })
  ).records[0]!.get("n") as number;
  if (fresh || Number(projectCount) === 0) {
    const dataDir = path.join(projectRoot(), "bench", "data", size);
    process.stderr.write(`generating ${SIZES[size]} projects into ${dataDir}, importing into ${storeDir}\n`);
    await generateLandscape(dataDir, SIZES[size]);
    const { report, seconds } = await importLandscape(driver, dataDir, log);
    process.stderr.write(`imported ${report.rowsRead} rows in ${seconds.toFixed(1)} s\n`);
  } else process.stderr.write(`reusing the store in ${storeDir}\n`);

  const session = driver.session({ database: "neo4j", defaultAccessMode: neo4j.session.READ });
  const loadStarted = performance.now();
  let projection: AnalysisProjection;
  try {
    projection = await session.executeRead((tx) => loadProjection(tx), { timeout: 600_000 });
  } finally {
    await session.close();
  }
  const projectionLoadMs = performance.now() - loadStarted;
  process.stderr.write(
    `projection: ${projection.projects.ids.length} projects, ${projection.projects.participations.organisation.length} participations, ${projection.organisations.ids.length} organisations, loaded in ${projectionLoadMs.toFixed(0)} ms\n`,
  );

  // --- the projection network, old and new code, same requests alternating ---
  const sideBySide = projectionNetworkSideBySide(projection, requests);

  // --- through GraphQL ---
  let graphql: Record<string, Measurement | number> | undefined;
  process.stderr.write("measuring through GraphQL\n");
  if (!values["skip-graphql"]) {
    // Cached answers (the data version read at every request), and where their time goes: an empty
    // query through the same pipeline and the version read alone.
    const cachedAtlas = await startAtlas({ ...config, port: 0 }, log);
    stops.push(() => cachedAtlas.stop());
    // The benchmarks' lean client (http-client.ts): fetch's own CPU would be counted as the server's.
    const http = new HttpClient();
    stops.push(async () => http.close());
    const post = async (url: string, query: string, variables: unknown = {}) => {
      const { json } = await http.postJson(`${url}/graphql`, { query, variables });
      const body = json as { errors?: { message: string }[] };
      if (body.errors) throw new Error(body.errors[0]!.message);
    };
    const ORGS =
      "query Q($fromYear: Int, $toYear: Int) { collaborationNetwork(level: ORGANISATION, limit: 500, fromYear: $fromYear, toYear: $toYear) { nodes { key weight } edges { source target weight } } }";
    const MATRIX =
      "query Q($fromYear: Int, $toYear: Int) { fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR, filters: { fromYear: $fromYear, toYear: $toYear }) { cells { row column value } } }";
    const options = { requests, concurrency: 1 };
    const organisationNetwork = await measure((i) => post(atlas.http.url, ORGS, variedYears(i)), options);
    const many = { requests: Math.max(requests, 200), concurrency: 1 };
    const organisationNetworkCached = await measure(() => post(cachedAtlas.http.url, ORGS), many);
    const matrixCached = await measure(() => post(cachedAtlas.http.url, MATRIX), many);
    const emptyQuery = await measure(() => post(cachedAtlas.http.url, "{ __typename }"), many);
    const context = { driver, database: "neo4j" };
    const versionRead = await measure(() => graphDataVersion(context), many);
    graphql = {
      organisationNetwork,
      organisationNetworkCached,
      matrixCached,
      emptyQuery,
      versionRead,
    };
  }

  const result = {
    date: new Date().toISOString(),
    size,
    requests,
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version },
    loadAverage: { start: loadAtStart, end: os.loadavg() },
    projection: {
      projects: projection.projects.ids.length,
      participations: projection.projects.participations.organisation.length,
      organisations: projection.organisations.ids.length,
      loadMs: projectionLoadMs,
    },
    /** limit 500, minWeight 1, year ranges varied: times of the network computed on the projection and cut. */
    projectionNetwork: sideBySide,
    graphql,
  };
  mkdirSync(path.join(projectRoot(), "bench", "results"), { recursive: true });
  const file = path.join(
    projectRoot(),
    "bench",
    "results",
    `${result.date.slice(0, 10)}-${size}-org-network.json`,
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nJSON: ${path.relative(process.cwd(), file)}\n`);
} finally {
  for (const stop of stops.reverse()) await stop();
  await driver.close();
  await embedded.stop();
  if (process.env.BENCH_DROP_STORE === "1") rmSync(storeDir, { recursive: true, force: true });
}
