import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";

/**
 * npx tsx bench/profile-lookup.ts [--requests 2000] [--query lookup|nested|cached] [--profile <file.cpuprofile>]
 *   [--store <folder>]
 * The fixed cost of a GraphQL request: a fresh embedded Neo4j with the seed, then the benchmark's
 * generated lookup by id (or, `--query nested`, the project with its participants and their countries;
 * `--query cached`, an organisation network answered from the whole-answer cache, beside the data-version
 * read that every cached answer still makes),
 * one request at a time. Prints the p50 through GraphQL and as Cypher through the same driver. With
 * `--profile`, a CPU profile of this process (the API and its client) is taken during the measured
 * GraphQL requests only (not the start, the seed or the warm-up), and written to that file:
 * `npx tsx bench/profile-summary.ts <file> --per <requests>` shows where a request's time goes outside
 * Neo4j. (`node --cpu-prof` on the whole process works too, but then the seed's load dominates.)
 */
const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    query: { type: "string", default: "lookup" },
    profile: { type: "string" },
    // A store folder kept between runs (seeded on the first): later runs skip the seed's load.
    store: { type: "string" },
  },
});
const requests = Number(values.requests);
const QUERIES = {
  lookup: {
    graphql: "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title startDate funding } }",
    cypher: "MATCH (p:Project {id: $id}) RETURN p {.id, .title, .startDate, .funding}",
  },
  // A cached analysis answer (the same request again at an unchanged data version) beside the one read
  // it cannot skip: the data version, which keeps it never stale.
  cached: {
    graphql:
      "{ collaborationNetwork(level: ORGANISATION, limit: 500) { nodes { key weight } edges { source target weight } } }",
    cypher: "MATCH (v:DataVersion {id: 'data-version'}) RETURN v.version AS version, v.updatedAt AS at",
  },
  nested: {
    graphql:
      "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title participantsConnection { edges { properties { role contribution } node { id name country { code } } } } } }",
    cypher: `MATCH (p:Project {id: $id})
     RETURN p {.id, .title, participants: COLLECT { MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p)
       RETURN {role: r.role, contribution: r.contribution, id: o.id, name: o.name, country: COLLECT { MATCH (o)-[:LOCATED_IN]->(c:Country) RETURN c.code }} }}`,
  },
} as const;
// A comma-separated list runs each in turn on one start (side by side, under the same load).
const chosenNames = values.query!.split(",") as (keyof typeof QUERIES)[];
for (const name of chosenNames)
  if (!QUERIES[name]) throw new Error(`--query must be one or more of ${Object.keys(QUERIES).join(", ")}`);
const log = createLogger("warn");
const storeDir = values.store ?? mkdtempSync(path.join(os.tmpdir(), "atlas-profile-"));
const embedded = await startOrAttachEmbeddedNeo4j(
  {
    dataDir: storeDir,
    boltPort: 18000 + Math.floor(Math.random() * 1000),
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
  const atlas = await startAtlas({ ...config, port: 0 }, log);
  const session = atlas.db.driver.session({ database: atlas.db.database });
  // The project with the most participants: the nested query has something to nest.
  const id = (
    await session.run(
      "MATCH (p:Project) RETURN p.id AS id ORDER BY COUNT { (p)<-[:PARTICIPATES_IN]-() } DESC, id LIMIT 1",
    )
  ).records[0]!.get("id");
  await session.close();
  /** p50 wall time (ms) and this process's CPU time per call (ms: API and client; Neo4j is apart). */
  const p50 = async (call: () => Promise<unknown>, profile?: string) => {
    for (let i = 0; i < 50; i++) await call();
    const inspector = profile ? new Session() : undefined;
    if (inspector) {
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: 100 });
      await inspector.post("Profiler.start");
    }
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      await call();
      times.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpuBefore);
    if (inspector && profile) {
      const { profile: taken } = await inspector.post("Profiler.stop");
      writeFileSync(profile, JSON.stringify(taken));
      inspector.disconnect();
    }
    return {
      p50: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!,
      cpuMs: (cpu.user + cpu.system) / 1000 / requests,
    };
  };
  for (const name of chosenNames) {
    const chosen = QUERIES[name];
    const body = JSON.stringify({ query: chosen.graphql, variables: { id } });
    const graphql = await p50(
      async () => {
        const response = await fetch(`${atlas.http.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const answer = (await response.json()) as { errors?: unknown };
        if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      },
      values.profile && chosenNames.length === 1 ? values.profile : undefined,
    );
    const cypher = await p50(() =>
      atlas.db.driver.executeQuery(chosen.cypher, { id }, { database: atlas.db.database }),
    );
    process.stdout.write(
      `${name} p50 (${requests} requests, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(
          "/",
        )}): GraphQL ${graphql.p50.toFixed(2)} ms, Cypher ${cypher.p50.toFixed(2)} ms, difference ${(graphql.p50 - cypher.p50).toFixed(2)} ms; this process's CPU per request: GraphQL ${graphql.cpuMs.toFixed(2)} ms, Cypher ${cypher.cpuMs.toFixed(2)} ms\n`,
    );
  }
  await atlas.stop();
} finally {
  await embedded.stop();
  if (!values.store) rmSync(storeDir, { recursive: true, force: true });
}
