import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { createLogger } from "../src/util/logger.js";
import { freePort } from "./helpers/free-port.js";

declare module "vitest" {
  export interface ProvidedContext {
    neo4j: { uri: string; username: string; password: string };
  }
}

let instance: EmbeddedNeo4j | undefined;
let dataDir: string | undefined;

/** One real embedded Neo4j for the whole run, on a free port in a temporary folder. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-test-"));
  instance = await startOrAttachEmbeddedNeo4j(
    {
      dataDir,
      boltPort: await freePort(),
      password: undefined,
      heap: "1g",
      pageCacheMb: 256,
      startTimeoutMs: 180_000,
    },
    createLogger(process.env.LOG_LEVEL ?? "warn"),
  );
  project.provide("neo4j", { uri: instance.uri, username: instance.username, password: instance.password });
}

export async function teardown(): Promise<void> {
  await instance?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
