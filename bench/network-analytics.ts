import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDriver } from "../src/db/connection.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { freePort, startBuiltApi } from "./api-process.js";
import { HttpClient } from "./http-client.js";
import { type Measurement, measure, STEADY_WARMUP } from "./measure.js";

/**
 * npx tsx bench/network-analytics.ts [--cordis PATH] [--store DIR] [--requests 10] [--lookups 200] [--only REGEX]
 *   [--tag NAME]
 *
 * The network analytics (coFundingNetwork, networkCommunities, networkSeries, portfolioSimilarity)
 * through GraphQL, with the answer cache off (every request computes its answer), on the seed plus a CORDIS
 * export imported through the CORDIS importer: by default the full Horizon Europe export
 * (../shared/data/cordis/horizon-full, its zip). The store is kept in --store (default: a folder in
 * the OS temp dir) and reused by later runs. Year ranges vary between requests where the field has
 * them, so that no two consecutive requests are the same network.
 *
 * What is computed once and kept, and so is not in a line's p50: the analysis projection and the
 * funding projection (funding-projection.ts), built once per data version by the first analysis
 * request (timed alone as `firstRequest`, before the lines); and the Leiden runs of a large network
 * (leiden-runs.ts), kept by graph and arguments: the ORGANISATION communities have a cold line (a new
 * seed each request: Leiden runs every time) and a repeated line (the same request: runs from memory).
 * --only keeps the lines whose name matches REGEX (the lookup is always measured); such a run writes
 * <date>-network-analytics-partial.json. --tag NAME is appended to the file's name instead, so that a
 * run does not overwrite another of the same day.
 *
 * In the same run and through the same server, the yardstick: a plain generated entity lookup
 * (`projects(where: {id: {eq}})`, the "entity lookup by id" of bench/operations.ts), half of its
 * requests before the analyses and half after, one p50 of all. Each analysis line gets its p50 and
 * p95, the ratio of its p50 to the lookup's, its target (at most 10 lookups for country and funder
 * level, 50 for organisation level) and met / NOT met; and the slowest answer of /health/live, asked
 * every 20 ms while the line runs (the aim: at most 100 ms). Prints a Markdown table and writes
 * bench/results/<date>-network-analytics.json ({date, data, machine, loadAverage: {start, end},
 * requests, lookup, lines: [{name, level, requests, p50Ms, p95Ms, ratio, target, met,
 * slowestLivenessMs}]}).
 */
const { values } = parseArgs({
  options: {
    cordis: {
      type: "string",
      default: path.join(projectRoot(), "..", "shared", "data", "cordis", "horizon-full"),
    },
    store: { type: "string" },
    requests: { type: "string", default: "10" },
    lookups: { type: "string", default: "200" },
    only: { type: "string" },
    tag: { type: "string" },
    // The server's per-transaction limit (ATLAS_QUERY_TIMEOUT_MS, 15 s by default), raised so that a
    // busy machine measures the time an answer takes instead of a time-out.
    "query-timeout-ms": { type: "string", default: "120000" },
  },
});
const requests = Number(values.requests);
const lookups = Number(values.lookups);
const loadAtStart = os.loadavg();
const storeDir = values.store ?? path.join(os.tmpdir(), "atlas-bench-network-analytics");
const log = createLogger("warn");

/** The CORDIS location: a folder with a zip in it is read as that zip. */
function cordisLocation(location: string): string {
  if (location.endsWith(".zip") || !existsSync(path.join(location, "cordis-HORIZONprojects-csv.zip")))
    return location;
  return path.join(location, "cordis-HORIZONprojects-csv.zip");
}

/** The yardstick: the generated lookup of one project by id (bench/operations.ts, "entity lookup by id"). */
const LOOKUP = "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title startDate funding } }";

// Year ranges that differ from request to request (an uncached server computes each anyway).
const years = (i: number) => ({ fromYear: 2021 + (i % 3), toYear: 2025 });
const LINES: Record<
  string,
  {
    level: "COUNTRY" | "ORGANISATION" | "FUNDER";
    query: string;
    variables: (i: number) => Record<string, unknown>;
  }
> = {
  coFundingNetwork: {
    level: "FUNDER",
    query:
      "query Q($fromYear: Int, $toYear: Int) { coFundingNetwork(fromYear: $fromYear, toYear: $toYear, includeEuropeanCommission: true) { nodes { key calls } edges { source target calls callKeys } calls { key } coverage { statement } } }",
    variables: (i) => ({ fromYear: 2018 + (i % 3), toYear: 2025 }),
  },
  "networkCommunities FUNDER": {
    level: "FUNDER",
    query:
      "query Q($fromYear: Int, $toYear: Int) { networkCommunities(level: FUNDER, fromYear: $fromYear, toYear: $toYear) { value communities { size } membership { key community } stability { meanAgreement } } }",
    variables: years,
  },
  "networkCommunities COUNTRY": {
    level: "COUNTRY",
    query:
      "query Q($fromYear: Int, $toYear: Int) { networkCommunities(level: COUNTRY, fromYear: $fromYear, toYear: $toYear) { value communities { size } membership { key community } stability { meanAgreement } } }",
    variables: years,
  },
  // Cold: a seed not asked before in every request, so every request runs Leiden (10 runs) afresh.
  "networkCommunities ORGANISATION (cold: a new seed each request)": {
    level: "ORGANISATION",
    query:
      "query Q($fromYear: Int, $toYear: Int, $seed: Int) { networkCommunities(level: ORGANISATION, fromYear: $fromYear, toYear: $toYear, seed: $seed) { value communities { size } stability { meanAgreement identicalRuns } } }",
    variables: (i) => ({ fromYear: 2021, toYear: 2025, seed: 7_000_000 + i }),
  },
  // The same network and arguments again: the network is built, its Leiden runs come from the memo
  // (leiden-runs.ts), computed by the warm-up request.
  "networkCommunities ORGANISATION (repeated: Leiden runs from the memo)": {
    level: "ORGANISATION",
    query:
      "query Q($fromYear: Int, $toYear: Int) { networkCommunities(level: ORGANISATION, fromYear: $fromYear, toYear: $toYear) { value communities { size } stability { meanAgreement identicalRuns } } }",
    variables: () => ({ fromYear: 2021, toYear: 2025 }),
  },
  "networkSeries COUNTRY (1-year windows)": {
    level: "COUNTRY",
    query:
      "query Q($fromYear: Int!, $toYear: Int!) { networkSeries(level: COUNTRY, fromYear: $fromYear, toYear: $toYear) { windows { fromYear nodeKeys edges { source target weight } joined left edgesJoined edgesLeft } } }",
    variables: years,
  },
  "networkSeries ORGANISATION (1-year windows)": {
    level: "ORGANISATION",
    query:
      "query Q($fromYear: Int!, $toYear: Int!) { networkSeries(level: ORGANISATION, fromYear: $fromYear, toYear: $toYear) { windows { fromYear edges { source target weight } joined left edgesJoined edgesLeft } } }",
    variables: years,
  },
  "portfolioSimilarity COUNTRY": {
    level: "COUNTRY",
    query:
      'query Q($f: AnalysisFilters) { portfolioSimilarity(level: COUNTRY, id: "country:DE", filters: $f) { mostSimilar { key similarity sharedTopics { key projects } } leastSimilar { key similarity } } }',
    variables: (i) => ({ f: years(i) }),
  },
  "portfolioSimilarity FUNDER": {
    level: "FUNDER",
    query:
      'query Q($f: AnalysisFilters) { portfolioSimilarity(level: FUNDER, id: "funder:european-commission", filters: $f) { mostSimilar { key similarity } leastSimilar { key similarity } } }',
    variables: (i) => ({ f: { ...years(i), topicScheme: "ATLAS" } }),
  },
};

/** p50 and p95 of latencies in ms, as measure.ts takes them. */
function percentiles(latencies: number[]): { p50Ms: number; p95Ms: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: at(0.5), p95Ms: at(0.95) };
}

/** Asks /health/live every 20 ms until stopped; resolves with the slowest answer's milliseconds. */
function watchLiveness(url: string): { stop: () => Promise<number> } {
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${url}/health/live`).then((response) => response.arrayBuffer());
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return slowest;
    },
  };
}

type Line = { name: string; level: string; target: number; met: boolean; error?: string } & Partial<
  Measurement & { ratio: number; slowestLivenessMs: number }
>;

/** The run as a Markdown table, one line per analysis. */
function table(result: {
  date: string;
  loadAverage: { start: number[]; end: number[] };
  lookup: { p50Ms: number; p95Ms: number; requests: number };
  firstRequest: { what: string; ms: number };
  lines: Line[];
}): string {
  const ms = (v: number | undefined) => (v === undefined ? "-" : v < 100 ? v.toFixed(1) : v.toFixed(0));
  const rows = result.lines.map((line) =>
    line.error
      ? `| ${line.name} | - | - | - | - | <= ${line.target}x | NOT met (${line.error}) | - |`
      : `| ${line.name} | ${line.requests} | ${ms(line.p50Ms)} | ${ms(line.p95Ms)} | ${line.ratio!.toFixed(1)}x | <= ${line.target}x | ${line.met ? "met" : "NOT met"} | ${ms(line.slowestLivenessMs)} |`,
  );
  return [
    `${result.date}, load average ${result.loadAverage.start.map((v) => v.toFixed(2)).join(" ")} at start, ${result.loadAverage.end.map((v) => v.toFixed(2)).join(" ")} at end`,
    `entity lookup: p50 ${ms(result.lookup.p50Ms)} ms, p95 ${ms(result.lookup.p95Ms)} ms (${result.lookup.requests} requests)`,
    `${result.firstRequest.what}: ${ms(result.firstRequest.ms)} ms`,
    "",
    "| analysis | n | p50 ms | p95 ms | p50 / lookup p50 | target | verdict | slowest /health/live ms |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ...rows,
  ].join("\n");
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
const driver = createDriver(embedded.uri, embedded.username, embedded.password);
try {
  // The API as `npm start` runs it, in its own process (as bench/run.ts does): inside this one it
  // would share the event loop with the client and the liveness poller, and tsx's source maps.
  const atlas = await startBuiltApi(
    embedded,
    { ATLAS_QUERY_TIMEOUT_MS: values["query-timeout-ms"]!, ATLAS_ANSWER_CACHE_ENTRIES: "0" },
    (line) => process.stderr.write(`${line}\n`),
  );
  const http = new HttpClient();
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

    // The lean client of bench/run.ts (http-client.ts): the yardstick lookup is the server's time,
    // not fetch's.
    const post = async (query: string, variables: Record<string, unknown>) => {
      const { json } = await http.postJson(`${atlas.url}/graphql`, { query, variables });
      const body = json as { errors?: { message: string }[] };
      if (body.errors) throw new Error(`${body.errors[0]!.message} (${query.slice(0, 60)})`);
    };
    const lookupId = String(
      (
        await driver.executeQuery(
          "MATCH (p:Project) WHERE p.id STARTS WITH 'cordis:' RETURN p.id AS id ORDER BY p.id LIMIT 1",
          {},
          { database: "neo4j" },
        )
      ).records[0]!.get("id"),
    );
    const lookupLatencies: number[] = [];
    const lookupRound = async (count: number) => {
      // Warm, as a dashboard's server is (STEADY_WARMUP in measure.ts).
      const warm = performance.now() + STEADY_WARMUP.warmupSeconds * 1000;
      for (let i = 0; i < STEADY_WARMUP.warmup && performance.now() < warm; i++)
        await post(LOOKUP, { id: lookupId });
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await post(LOOKUP, { id: lookupId });
        lookupLatencies.push(performance.now() - started);
      }
    };
    process.stderr.write(`measuring the entity lookup (${lookups / 2} requests)\n`);
    await lookupRound(Math.ceil(lookups / 2));
    // The first analysis request builds the analysis and funding projections: timed alone.
    const firstStarted = performance.now();
    await post(
      LINES["portfolioSimilarity COUNTRY"]!.query,
      LINES["portfolioSimilarity COUNTRY"]!.variables(0),
    );
    const firstRequest = {
      what: "portfolioSimilarity COUNTRY, the first analysis request: builds the analysis and funding projections",
      ms: performance.now() - firstStarted,
    };
    process.stderr.write(`first analysis request (projections built): ${firstRequest.ms.toFixed(0)} ms\n`);
    const only = values.only ? new RegExp(values.only) : undefined;
    const results: Record<string, (Measurement & { slowestLivenessMs: number }) | { error: string }> = {};
    for (const [name, { query, variables }] of Object.entries(LINES)) {
      if (only && !only.test(name)) continue;
      process.stderr.write(`measuring ${name}\n`);
      const liveness = watchLiveness(atlas.url);
      try {
        // As warm as the yardstick (STEADY_WARMUP): the slow lines get as many calls as fit in its time.
        const measured = await measure((i) => post(query, variables(i)), {
          requests,
          concurrency: 1,
          ...STEADY_WARMUP,
          maxSeconds: 300,
        });
        results[name] = { ...measured, slowestLivenessMs: await liveness.stop() };
      } catch (error) {
        await liveness.stop();
        results[name] = { error: (error as Error).message };
      }
    }
    process.stderr.write(`measuring the entity lookup again (${lookups / 2} requests)\n`);
    await lookupRound(Math.floor(lookups / 2));
    const lookup = percentiles(lookupLatencies);
    const lines = Object.entries(results).map(([name, measured]) => {
      const { level } = LINES[name]!;
      const target = level === "ORGANISATION" ? 50 : 10;
      if ("error" in measured) return { name, level, target, met: false, error: measured.error };
      const ratio = measured.p50Ms / lookup.p50Ms;
      return { name, level, ...measured, ratio, target, met: ratio <= target };
    });
    const result = {
      date: new Date().toISOString(),
      data: {
        cordis: path.relative(projectRoot(), values.cordis!),
        projects: Number(counts.get("projects")),
        organisations: Number(counts.get("organisations")),
      },
      queryTimeoutMs: Number(values["query-timeout-ms"]),
      cache:
        "answer cache off (every request computes its answer); projections built once per data version (firstRequest); Leiden runs of large networks kept by graph and arguments (cold and repeated lines)",
      firstRequest,
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version },
      loadAverage: { start: loadAtStart, end: os.loadavg() },
      requests,
      lookup: { query: LOOKUP, id: lookupId, requests: lookupLatencies.length, ...lookup },
      lines,
    };
    mkdirSync(path.join(projectRoot(), "bench", "results"), { recursive: true });
    const file = path.join(
      projectRoot(),
      "bench",
      "results",
      // A run of some lines (--only) does not replace the day's full run.
      `${result.date.slice(0, 10)}-network-analytics${values.tag ? `-${values.tag}` : only ? "-partial" : ""}.json`,
    );
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${table(result)}\nJSON: ${path.relative(process.cwd(), file)}\n`);
  } finally {
    http.close();
    await atlas.stop();
  }
} finally {
  await driver.close();
  await embedded.stop();
}
