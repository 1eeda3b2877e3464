import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.js";
import { createDriver } from "../src/db/connection.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { type Measurement, measure } from "./measure.js";

/**
 * npx tsx bench/network-analytics.ts [--cordis PATH] [--store DIR] [--requests 10]
 *
 * The network analytics (coFundingNetwork, networkCommunities, networkSeries, portfolioSimilarity)
 * through GraphQL, uncached (answer cache off: every request computes), on the seed plus a CORDIS
 * export imported through the CORDIS importer: by default the full Horizon Europe export
 * (../shared/data/cordis/horizon-full, its zip). The store is kept in --store (default: a folder in
 * the OS temp dir) and reused by later runs. Year ranges vary between requests where the field has
 * them, so that no two consecutive requests are the same network. Writes
 * bench/results/<date>-network-analytics.json.
 */
const { values } = parseArgs({
  options: {
    cordis: {
      type: "string",
      default: path.join(projectRoot(), "..", "shared", "data", "cordis", "horizon-full"),
    },
    store: { type: "string" },
    requests: { type: "string", default: "10" },
    // The server's per-transaction limit (ATLAS_QUERY_TIMEOUT_MS, 15 s by default), raised so that a
    // busy machine measures the time an answer takes instead of a time-out.
    "query-timeout-ms": { type: "string", default: "120000" },
  },
});
const requests = Number(values.requests);
const storeDir = values.store ?? path.join(os.tmpdir(), "atlas-bench-network-analytics");
const log = createLogger("warn");

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** The CORDIS location: a folder with a zip in it is read as that zip. */
function cordisLocation(location: string): string {
  if (location.endsWith(".zip") || !existsSync(path.join(location, "cordis-HORIZONprojects-csv.zip")))
    return location;
  return path.join(location, "cordis-HORIZONprojects-csv.zip");
}

const fresh = !existsSync(storeDir);
mkdirSync(storeDir, { recursive: true });
const embedded = await startOrAttachEmbeddedNeo4j(
  {
    dataDir: storeDir,
    boltPort: await freePort(),
    password: undefined,
    heap: "3g",
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
  ATLAS_QUERY_TIMEOUT_MS: values["query-timeout-ms"]!,
});
const driver = createDriver(embedded.uri, embedded.username, embedded.password);
try {
  const atlas = await startAtlas({ ...config, port: 0, answerCacheEntries: 0 }, log);
  try {
    const projects = Number(
      (
        await driver.executeQuery("MATCH (p:Project) RETURN count(p) AS n", {}, { database: "neo4j" })
      ).records[0]!.get("n"),
    );
    if (fresh || projects < 1000) {
      const started = performance.now();
      await loadSeed(driver, "neo4j", log);
      const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
      const report = await runCordisImport(
        driver,
        "neo4j",
        cordisLocation(values.cordis!),
        { countries, dryRun: false, strict: false },
        log,
      );
      process.stderr.write(
        `seed and ${report.rowsRead} CORDIS rows imported in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
      );
    } else process.stderr.write(`reusing the store in ${storeDir} (${projects} projects)\n`);
    const counts = (
      await driver.executeQuery(
        `MATCH (p:Project) WITH count(p) AS projects
         MATCH (o:Organisation) RETURN projects, count(o) AS organisations`,
        {},
        { database: "neo4j" },
      )
    ).records[0]!;

    const post = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${atlas.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { errors?: { message: string }[] };
      if (body.errors) throw new Error(`${body.errors[0]!.message} (${query.slice(0, 60)})`);
    };
    // Year ranges that differ from request to request (an uncached server computes each anyway).
    const years = (i: number) => ({ fromYear: 2021 + (i % 3), toYear: 2025 });
    const fields: Record<string, [string, (i: number) => Record<string, unknown>]> = {
      coFundingNetwork: [
        "query Q($fromYear: Int, $toYear: Int) { coFundingNetwork(fromYear: $fromYear, toYear: $toYear, includeEuropeanCommission: true) { nodes { key calls } edges { source target calls callKeys } calls { key } coverage { statement } } }",
        (i) => ({ fromYear: 2018 + (i % 3), toYear: 2025 }),
      ],
      "networkCommunities COUNTRY": [
        "query Q($fromYear: Int, $toYear: Int) { networkCommunities(level: COUNTRY, fromYear: $fromYear, toYear: $toYear) { value communities { size } membership { key community } stability { meanAgreement } } }",
        years,
      ],
      "networkCommunities ORGANISATION": [
        "query Q($fromYear: Int, $toYear: Int) { networkCommunities(level: ORGANISATION, fromYear: $fromYear, toYear: $toYear) { value communities { size } stability { meanAgreement identicalRuns } } }",
        years,
      ],
      "networkSeries COUNTRY (1-year windows)": [
        "query Q($fromYear: Int!, $toYear: Int!) { networkSeries(level: COUNTRY, fromYear: $fromYear, toYear: $toYear) { windows { fromYear nodeKeys edges { source target weight } joined left edgesJoined edgesLeft } } }",
        years,
      ],
      "networkSeries ORGANISATION (1-year windows)": [
        "query Q($fromYear: Int!, $toYear: Int!) { networkSeries(level: ORGANISATION, fromYear: $fromYear, toYear: $toYear) { windows { fromYear edges { source target weight } joined left edgesJoined edgesLeft } } }",
        years,
      ],
      "portfolioSimilarity COUNTRY": [
        'query Q($f: AnalysisFilters) { portfolioSimilarity(level: COUNTRY, id: "country:DE", filters: $f) { mostSimilar { key similarity sharedTopics { key projects } } leastSimilar { key similarity } } }',
        (i) => ({ f: years(i) }),
      ],
      "portfolioSimilarity FUNDER": [
        'query Q($f: AnalysisFilters) { portfolioSimilarity(level: FUNDER, id: "funder:european-commission", filters: $f) { mostSimilar { key similarity } leastSimilar { key similarity } } }',
        (i) => ({ f: { ...years(i), topicScheme: "ATLAS" } }),
      ],
    };
    const results: Record<string, Measurement | { error: string }> = {};
    for (const [name, [query, variables]] of Object.entries(fields)) {
      process.stderr.write(`measuring ${name}\n`);
      results[name] = await measure((i) => post(query, variables(i)), {
        requests,
        concurrency: 1,
        warmup: 1,
        maxSeconds: 120,
      }).catch((error: Error) => ({ error: error.message }));
    }
    const result = {
      date: new Date().toISOString(),
      data: {
        cordis: path.relative(projectRoot(), values.cordis!),
        projects: Number(counts.get("projects")),
        organisations: Number(counts.get("organisations")),
      },
      queryTimeoutMs: Number(values["query-timeout-ms"]),
      cache: "off (every request computes its answer)",
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version },
      loadAverage: os.loadavg(),
      results,
    };
    mkdirSync(path.join(projectRoot(), "bench", "results"), { recursive: true });
    const file = path.join(
      projectRoot(),
      "bench",
      "results",
      `${result.date.slice(0, 10)}-network-analytics.json`,
    );
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\nJSON: ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await atlas.stop();
  }
} finally {
  await driver.close();
  await embedded.stop();
}
