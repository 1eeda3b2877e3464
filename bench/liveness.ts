import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { mintToken } from "../src/cli/token-command.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { fillTemplate, permedRows } from "../test/fixtures/curate/permed-workbook.js";
import { freePort, startApiProcess } from "./api-process.js";

/**
 * npx tsx bench/liveness.ts
 *
 * Does one expensive or hostile request stall the whole API process? A fresh embedded Neo4j with the
 * seed, one server, and for each request below: the request is sent while `/health/live` is asked every
 * 20 ms; the report gives the request's own time and the slowest and median liveness answers during it.
 * The aim is the slowest liveness answer at most 100 ms whatever single request runs. Written to
 * bench/results/<date>-liveness[-$BENCH_TAG].json.
 */

const LIVENESS_AIM_MS = 100;
// A run under load says so: the load when it started, beside the one when it ended.
const loadAverageAtStart = os.loadavg();
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
  /** A GraphQL request for /graphql, or any other route's request. */
  body?: unknown;
  route?: { path: string; method: "GET" | "POST"; admin?: boolean; body?: () => Promise<Buffer> };
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
    name: "one filter object with 30,000 unknown fields (about 300 KB of variables)",
    body: {
      query: "query($w: ProjectWhere) { projects(where: $w, limit: 1) { id } }",
      variables: { w: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, 1])) },
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
  {
    name: "Leiden communities of every organisation of the seed, 10 stability runs",
    body: {
      query:
        "{ networkCommunities(level: ORGANISATION) { value communities { index size } stability { meanAgreement } } }",
    },
  },
  {
    name: "the organisation network of the seed per year, 2021-2030, 5,000 edges a window",
    body: {
      query:
        "{ networkSeries(level: ORGANISATION, fromYear: 2021, toYear: 2030, limit: 5000) { windows { fromYear nodeKeys edges { source target weight } joined left } } }",
    },
  },
  {
    name: "portfolio similarity of a funder with every other funder",
    body: {
      query:
        '{ portfolioSimilarity(level: FUNDER, id: "funder:european-commission") { mostSimilar { key similarity } leastSimilar { key similarity } } }',
    },
  },
  {
    name: "the organisation network of the seed as GEXF with yearly spells (/export)",
    route: { path: "/export/network.gexf?level=ORGANISATION&spells=year", method: "GET" },
  },
  {
    name: "the whole organisation network of the seed as GEXF (/export)",
    route: { path: "/export/network.gexf?level=ORGANISATION", method: "GET" },
  },
  {
    name: "a curation check of a workbook of 4,900 facts of 3,000 characters (about 15 MB inflated)",
    route: { path: "/admin/curate/check?name=facts.xlsx", method: "POST", admin: true, body: bigWorkbook },
  },
  // Last, as they write: the load of the same workbook, then its check again (compared with what it wrote).
  {
    name: "a curation load of the same workbook (writes 4,900 facts)",
    route: { path: "/admin/curate/load?name=facts.xlsx", method: "POST", admin: true, body: bigWorkbook },
  },
  {
    name: "a curation check of the same workbook once loaded (compares its 15 MB with the graph's)",
    route: { path: "/admin/curate/check?name=facts.xlsx", method: "POST", admin: true, body: bigWorkbook },
  },
];

let bigWorkbookBytes: Promise<Buffer> | undefined;

/** A curation workbook near the inflated-size limits: its reading is seconds of CPU. Built once. */
function bigWorkbook(): Promise<Buffer> {
  bigWorkbookBytes ??= buildBigWorkbook();
  return bigWorkbookBytes;
}

async function buildBigWorkbook(): Promise<Buffer> {
  const rows = permedRows();
  rows.Facts = Array.from({ length: 4900 }, (_, i) => ({
    subject: "EP PerMed/JTC2024",
    attribute: "note",
    statement: `${i} ${"personalised medicine ".repeat(140)}`.slice(0, 3000),
    "source URL": `https://example.org/${i}`,
  }));
  return fillTemplate(rows);
}

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

const JWT_SECRET = "liveness-benchmark-secret-0123456789abcdef";
const { token: adminToken } = await mintToken({
  secret: JWT_SECRET,
  roles: ["admin"],
  subject: "bench-liveness",
  expiresIn: 3600,
});

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
  // The API in its own process, as it is deployed: were it in this one, the benchmark's own work
  // (reading a large answer, its fetches) would stall the poller and be counted against the server.
  const api = await startApiProcess({
    command: [process.execPath, "--import", "tsx", path.join(projectRoot(), "src", "main.ts")],
    env: {
      ...process.env,
      NEO4J_URI: embedded.uri,
      NEO4J_PASSWORD: embedded.password ?? "",
      ATLAS_AUTO_SEED: "true",
      ATLAS_ANSWER_CACHE_ENTRIES: "0",
      ATLAS_JWT_SECRET: JWT_SECRET,
      LOG_LEVEL: "warn",
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
    },
    onLine: (line) => process.stderr.write(`${line}\n`),
  });
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
      let status = 0;
      let answerBytes = new ArrayBuffer(0);
      const route = heavy.route;
      const headers: Record<string, string> = {
        "content-type": route?.body ? "application/octet-stream" : "application/json",
        ...(route?.admin ? { authorization: `Bearer ${adminToken}` } : {}),
      };
      const body = route ? (route.body ? await route.body() : undefined) : JSON.stringify(heavy.body);
      const started = performance.now();
      // The answer is parsed after the polling: parsing megabytes here would delay the poller.
      const request = fetch(`${api.url}${route?.path ?? "/graphql"}`, {
        method: route?.method ?? "POST",
        headers,
        body,
      }).then(async (response) => {
        status = response.status;
        answerBytes = await response.arrayBuffer();
      });
      const liveness = await livenessDuring(api.url, request);
      const requestMs = Math.round(performance.now() - started);
      const text = Buffer.from(answerBytes).toString("utf8");
      const answer = (text.startsWith("{") ? JSON.parse(text) : {}) as {
        errors?: { message?: string; extensions?: { code?: string } }[];
      };
      if (answer.errors?.length) process.stderr.write(`${heavy.name}: ${answer.errors[0]?.message}\n`);
      rows.push({
        request: heavy.name,
        status,
        code: answer.errors?.[0]?.extensions?.code ?? "OK",
        requestMs,
        ...liveness,
      });
    }
  } finally {
    await api.stop();
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
    path.join(
      resultsDir,
      `${new Date().toISOString().slice(0, 10)}-liveness${process.env.BENCH_TAG ? `-${process.env.BENCH_TAG}` : ""}.json`,
    ),
    `${JSON.stringify({ aimMs: LIVENESS_AIM_MS, pollEveryMs: POLL_EVERY_MS, loadAverageAtStart, loadAverage: os.loadavg(), requests: rows }, null, 2)}\n`,
  );
} finally {
  await embedded.stop();
  rmSync(storeDir, { recursive: true, force: true });
}
