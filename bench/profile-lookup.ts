import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";

/**
 * npx tsx --cpu-prof --cpu-prof-dir=<dir> bench/profile-lookup.ts [--requests 2000]
 * The fixed cost of a GraphQL request (issue 19): a fresh embedded Neo4j with the seed, then the
 * benchmark's generated lookup by id, one request at a time, so that a CPU profile of this process (the
 * API and its client) shows where a request's time goes outside Neo4j. Prints the p50 of the lookup
 * through GraphQL and as Cypher through the same driver.
 */
const { values } = parseArgs({ options: { requests: { type: "string", default: "2000" } } });
const requests = Number(values.requests);
const log = createLogger("warn");
const storeDir = mkdtempSync(path.join(os.tmpdir(), "atlas-profile-"));
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
  const id = (await session.run("MATCH (p:Project) RETURN p.id AS id ORDER BY id LIMIT 1")).records[0]!.get(
    "id",
  );
  await session.close();
  const body = JSON.stringify({
    query: "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title startDate funding } }",
    variables: { id },
  });
  const p50 = async (call: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await call();
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      await call();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  };
  const graphql = await p50(async () => {
    const response = await fetch(`${atlas.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    await response.json();
  });
  const cypher = await p50(() =>
    atlas.db.driver.executeQuery(
      "MATCH (p:Project {id: $id}) RETURN p {.id, .title, .startDate, .funding}",
      { id },
      { database: atlas.db.database },
    ),
  );
  process.stdout.write(
    `lookup p50: GraphQL ${graphql.toFixed(2)} ms, Cypher ${cypher.toFixed(2)} ms, difference ${(graphql - cypher).toFixed(2)} ms\n`,
  );
  await atlas.stop();
} finally {
  await embedded.stop();
  rmSync(storeDir, { recursive: true, force: true });
}
