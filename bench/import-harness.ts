import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { createDriver } from "../src/db/connection.js";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import type { RunCordisImportReport } from "../src/import/cordis/run-cordis-import.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import type { Logger } from "../src/util/logger.js";

/**
 * What the import benchmarks (cordis-he.ts, import-memory.ts, openaire.ts) share: a fresh embedded
 * Neo4j with the schema, an import timed with the memory and CPU of both processes, and the graph's
 * counts afterwards.
 */

/** A fresh embedded Neo4j (its own temporary store, heap `heap`) with the schema applied. */
export interface FreshNeo4j {
  embedded: EmbeddedNeo4j;
  driver: Driver;
  /** Closes the driver, stops Neo4j and removes its store. */
  stop: () => Promise<void>;
}

/** Starts a FreshNeo4j in a temporary folder named `prefix`...; page cache 512 MB, 3 minutes to start. */
export async function freshNeo4j(prefix: string, heap: string, log: Logger): Promise<FreshNeo4j> {
  const storeDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const embedded = await startOrAttachEmbeddedNeo4j(
    {
      dataDir: storeDir,
      boltPort: 17000 + Math.floor(Math.random() * 1000),
      password: undefined,
      heap,
      pageCacheMb: 512,
      startTimeoutMs: 180_000,
    },
    log,
  );
  const driver = createDriver(embedded.uri, embedded.username, embedded.password);
  const stop = async () => {
    await driver.close();
    await embedded.stop();
    rmSync(storeDir, { recursive: true, force: true });
  };
  try {
    await applySchema(driver, "neo4j", schemaStatements(loadTypeDefs()));
  } catch (error) {
    await stop();
    throw error;
  }
  return { embedded, driver, stop };
}

/** Projects and PARTICIPATES_IN relationships in database `neo4j`. */
export async function graphCounts(driver: Driver): Promise<{ projects: number; participations: number }> {
  const graph = await driver.executeQuery(
    "MATCH (p:Project) WITH count(p) AS projects MATCH ()-[r:PARTICIPATES_IN]->() RETURN projects, count(r) AS participations",
    {},
    { database: "neo4j" },
  );
  return {
    projects: Number(graph.records[0]!.get("projects")),
    participations: Number(graph.records[0]!.get("participations")),
  };
}

/** Resident memory of process `pid` in bytes (Linux /proc), 0 when it cannot be read. */
function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) of process `pid` in milliseconds (Linux /proc, clock ticks of 10 ms), 0 when unreadable. */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Samples the peak RSS of this process and of `javaPid` every 50 ms until `stop`. */
function peakSampler(javaPid: number) {
  const peak = { importer: process.memoryUsage().rss, neo4j: rssOf(javaPid) };
  const timer = setInterval(() => {
    peak.importer = Math.max(peak.importer, process.memoryUsage().rss);
    peak.neo4j = Math.max(peak.neo4j, rssOf(javaPid));
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return { importerMb: Math.round(peak.importer / 2 ** 20), neo4jMb: Math.round(peak.neo4j / 2 ** 20) };
    },
  };
}

/** One import, timed, with the peak memory and CPU time of both processes (this one and Neo4j's `javaPid`). */
export async function timedImport(
  run: () => Promise<RunCordisImportReport>,
  javaPid: number,
): Promise<{
  report: RunCordisImportReport;
  seconds: number;
  peak: { importerMb: number; neo4jMb: number };
  cpuSeconds: { importer: number; neo4j: number };
}> {
  const sampler = peakSampler(javaPid);
  const started = performance.now();
  const importerCpu = process.cpuUsage();
  const neo4jCpu = cpuMsOf(javaPid);
  const report = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(importerCpu);
  // CPU seconds say what the work cost when other work shares the cores (wall time then says little).
  const cpuSeconds = {
    importer: Number(((used.user + used.system) / 1e6).toFixed(1)),
    neo4j: Number(((cpuMsOf(javaPid) - neo4jCpu) / 1000).toFixed(1)),
  };
  return { report, seconds, peak: sampler.stop(), cpuSeconds };
}
