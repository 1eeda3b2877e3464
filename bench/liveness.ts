import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/config.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";

/**
 * npm run bench:liveness
 *
 * Does one expensive or hostile request stall the whole API process? A fresh embedded Neo4j with the
 * seed, one server, and for each request below: the request is sent while `/health/live` is asked every
 * 20 ms; the report gives the request's own time and the slowest and median liveness answers during it.
 * The aim is the slowest liveness answer at most 100 ms whatever single request runs. Written to
 * bench/results/<date>-liveness.json.
 */

const LIVENESS_AIM_MS = 100;
const POLL_EVERY_MS = 20;
const log = createLogger("warn");

/** Nested `{ AND: [ ... ] }` filters, `depth` levels: deeper than any document limit allows. */
function nestedWhere(depth: number): unknown {
  let where: unknown = { id: { eq: "x" } };
  for (let i = 0; i < depth; i++) where = { AND: [where] };
  return where;
}

interface HeavyRequest {
  name: string;
  body: unknown;
}

const HEAVY_REQUESTS: HeavyRequest[] = [
  {
    name: "20,000 list items with an unknown field each (about 800 KB of variables)",
    body: {
      query: "query($w: [ProjectWhere!]) { projects(where: { OR: $w }, limit: 1) { id } }",
      variables: { w: Array.from({ length: 20_000 }, (_, i) => ({ unknownField: `value ${i}` })) },
    },
  },
  {
    name: "a where filter nested 2,000 levels in a variable",
    body: {
      query: "query($w: ProjectWhere) { projects(where: $w, limit: 1) { id } }",
      variables: { w: nestedWhere(2_000) },
    },
  },
  {
    name: "10,000 ids in one `in` list",
    body: {
      query: "query($ids: [ID!]) { projects(where: { id: { in: $ids } }, limit: 5) { id } }",
      variables: { ids: Array.from({ length: 10_000 }, (_, i) => `cordis:${100000 + i}`) },
    },
  },
  {
    name: "800 repeats of one field",
    body: { query: `{ ${Array.from({ length: 800 }, () => "dataVersion { version }").join(" ")} }` },
  },
  {
    name: "the organisation collaboration network of the whole seed",
    body: {
      query:
        "{ collaborationNetwork(level: ORGANISATION, limit: 5000) { nodes { key label weight } edges { source target weight projects amountEur } } }",
    },
  },
  {
    name: "centralities of every organisation of the seed (betweenness, PageRank)",
    body: { query: "{ networkMetrics(level: ORGANISATION) { key degree betweenness pageRank } }" },
  },
];

/** The slowest and the median `/health/live` answer while `during` runs, polled every POLL_EVERY_MS. */
async function livenessDuring(url: string, during: Promise<unknown>) {
  const times: number[] = [];
  let done = false;
  const finished = during.finally(() => {
    done = true;
  });
  while (!done) {
    const started = performance.now();
    await fetch(`${url}/health/live`).then((r) => r.arrayBuffer());
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
  await finished;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    polls: times.length,
    maxMs: Math.round(sorted.at(-1) ?? 0),
    p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
  };
}

const storeDir = mkdtempSync(path.join(os.tmpdir(), "atlas-bench-liveness-"));
const embedded = await startOrAttachEmbeddedNeo4j(
  {
    dataDir: storeDir,
    boltPort: 17000 + Math.floor(Math.random() * 1000),
    password: undefined,
    heap: "1g",
    pageCacheMb: 256,
    startTimeoutMs: 180_000,
  },
  log,
);
try {
  const config = loadConfig({
    NEO4J_URI: embedded.uri,
    NEO4J_PASSWORD: embedded.password,
    ATLAS_AUTO_SEED: "true",
    LOG_LEVEL: "warn",
  });
  const atlas = await startAtlas({ ...config, port: 0, answerCacheEntries: 0 }, log);
  const rows: {
    request: string;
    status: number;
    code: string;
    requestMs: number;
    polls: number;
    maxMs: number;
    p50Ms: number;
  }[] = [];
  try {
    for (const heavy of HEAVY_REQUESTS) {
      const started = performance.now();
      let status = 0;
      let code = "";
      const request = fetch(`${atlas.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(heavy.body),
      }).then(async (response) => {
        status = response.status;
        const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        code = answer.errors?.[0]?.extensions?.code ?? "OK";
      });
      const liveness = await livenessDuring(atlas.http.url, request);
      rows.push({
        request: heavy.name,
        status,
        code,
        requestMs: Math.round(performance.now() - started),
        ...liveness,
      });
    }
  } finally {
    await atlas.stop();
  }
  const worst = Math.max(...rows.map((r) => r.maxMs));
  process.stdout.write(
    [
      "| request | HTTP | code | request ms | liveness polls | liveness max ms | liveness p50 ms |",
      "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
      ...rows.map(
        (r) =>
          `| ${r.request} | ${r.status} | ${r.code} | ${r.requestMs} | ${r.polls} | ${r.maxMs} | ${r.p50Ms} |`,
      ),
      "",
      `slowest /health/live answer: ${worst} ms (aim ≤ ${LIVENESS_AIM_MS} ms): ${worst <= LIVENESS_AIM_MS ? "met" : "NOT met"}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
      "",
    ].join("\n"),
  );
  const resultsDir = path.join(projectRoot(), "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, `${new Date().toISOString().slice(0, 10)}-liveness.json`),
    `${JSON.stringify({ aimMs: LIVENESS_AIM_MS, pollEveryMs: POLL_EVERY_MS, loadAverage: os.loadavg(), requests: rows }, null, 2)}\n`,
  );
} finally {
  await embedded.stop();
  rmSync(storeDir, { recursive: true, force: true });
}
