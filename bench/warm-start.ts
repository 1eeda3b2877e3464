import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/config.js";
import { createDriver } from "../src/db/connection.js";
import { startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import type { Logger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { freePort, startApiProcess } from "./api-process.js";

export interface WarmStart {
  /** `npm start` (warm: nothing to build) spawned until `/health/ready` answers 200, median of the rounds. */
  readyMs: number;
  /** The bare embedded Neo4j (no API) on the same folder, spawned until a Bolt session is verified, median. */
  bareNeo4jMs: number;
  /** readyMs / bareNeo4jMs. */
  ratio: number;
  /** Every round's figures, in the order they ran (bare and API alternate, so neither always goes first). */
  rounds: { bareNeo4jMs: number; readyMs: number; neo4jInApiMs: number | null }[];
  /** What readyMs times. */
  command: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The environment of a start on `dataDir`: the embedded Neo4j's defaults, free ports, no seeding. */
async function startEnvironment(dataDir: string): Promise<Record<string, string>> {
  return {
    ATLAS_DATA_DIR: dataDir,
    ATLAS_NEO4J_BOLT_PORT: String(await freePort()),
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    ATLAS_AUTO_SEED: "false",
    LOG_LEVEL: "info",
  };
}

/** The bare embedded Neo4j on `dataDir`: spawned until Bolt accepts a verified session, then stopped cleanly. */
async function bareNeo4j(dataDir: string, log: Logger): Promise<number> {
  const env = await startEnvironment(dataDir);
  const config = loadConfig(env);
  if (config.database.kind !== "embedded") throw new Error("the warm start measures the embedded Neo4j");
  const started = performance.now();
  const embedded = await startOrAttachEmbeddedNeo4j(config.database, log);
  const driver = createDriver(embedded.uri, embedded.username, embedded.password);
  try {
    await driver.verifyConnectivity();
    return performance.now() - started;
  } finally {
    await driver.close();
    await embedded.stop();
  }
}

function withoutExternalNeo4j(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NEO4J_URI: _uri, NEO4J_PASSWORD: _password, ...rest } = env;
  return rest;
}

/**
 * `npm start` on `dataDir`, as a user runs it: spawned until /health/ready answers 200, then stopped
 * with SIGTERM (a clean stop: npm start execs the server, so the signal reaches it and it stops Neo4j
 * cleanly). Also reads the embedded Neo4j's own start time from the server's log ("embedded Neo4j started").
 */
async function apiStart(dataDir: string): Promise<{ readyMs: number; neo4jInApiMs: number | null }> {
  let neo4jInApiMs: number | null = null;
  const api = await startApiProcess({
    command: ["npm", "start"],
    // The embedded Neo4j on the copy, whatever this shell points at.
    env: { ...withoutExternalNeo4j(process.env), ...(await startEnvironment(dataDir)) },
    onLine: (line) => {
      if (line.includes('"embedded Neo4j started"'))
        neo4jInApiMs = (JSON.parse(line) as { ms?: number }).ms ?? null;
    },
  });
  await api.stop();
  return { readyMs: api.readyMs, neo4jInApiMs };
}

/**
 * The warm start, side by side: `storeDir` (a seeded store, its Neo4j stopped cleanly) is copied, then
 * on the copy the bare embedded Neo4j and `npm start` are each started and stopped `rounds` times,
 * alternating which goes first. The build is brought up to date first, untimed, so that `npm start`
 * finds nothing to build (a warm start); the class-data archive, if the launcher has none yet, was
 * written by the clean stop of the benchmark's own Neo4j before.
 */
export async function measureWarmStart(storeDir: string, log: Logger, rounds = 2): Promise<WarmStart> {
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: projectRoot(), stdio: "inherit" });
  if (build.status !== 0)
    throw new Error(`npm run build failed (${build.status}): the warm start needs a build`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-bench-warm-"));
  try {
    cpSync(storeDir, dataDir, { recursive: true });
    const results: WarmStart["rounds"] = [];
    for (let round = 0; round < rounds; round++) {
      let bare: number;
      let api: Awaited<ReturnType<typeof apiStart>>;
      if (round % 2 === 0) {
        bare = await bareNeo4j(dataDir, log);
        api = await apiStart(dataDir);
      } else {
        api = await apiStart(dataDir);
        bare = await bareNeo4j(dataDir, log);
      }
      results.push({
        bareNeo4jMs: Math.round(bare),
        readyMs: Math.round(api.readyMs),
        neo4jInApiMs: api.neo4jInApiMs,
      });
      process.stderr.write(
        `warm start round ${round + 1}: bare Neo4j ${Math.round(bare)} ms, npm start to ready ${Math.round(api.readyMs)} ms\n`,
      );
    }
    const readyMs = Math.round(median(results.map((r) => r.readyMs)));
    const bareNeo4jMs = Math.round(median(results.map((r) => r.bareNeo4jMs)));
    return {
      readyMs,
      bareNeo4jMs,
      ratio: readyMs / bareNeo4jMs,
      rounds: results,
      command: "npm start (build up to date) -> GET /health/ready 200",
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
