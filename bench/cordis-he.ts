import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Driver } from "neo4j-driver";
import yauzl from "yauzl";
import { type RunCordisImportReport, runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { freshNeo4j, graphCounts, timedImport } from "./import-harness.js";

/**
 * `npm run bench -- --size HE`: the real CORDIS export of all of Horizon Europe (the zip under
 * ../shared/data/cordis/horizon-full/) imported by the CORDIS importer into a fresh embedded Neo4j
 * with the heap of ATLAS_NEO4J_HEAP (default 1g), then imported again unchanged (the mirror's
 * re-import), and, in the same run, the same two files (project.csv, organization.csv) loaded into
 * DuckDB (`@duckdb/node-api`, in memory, read_csv) as the peer. Prints rows/s, DuckDB's time and the
 * ratio, the time and peak RSS of Neo4j's Java process and of the importer, and where the import's
 * time went; writes bench/results/<date>-HE.json. Skips with a message when the zip is missing.
 */
export const HE_ZIP = path.join(
  projectRoot(),
  "..",
  "shared",
  "data",
  "cordis",
  "horizon-full",
  "cordis-HORIZONprojects-csv.zip",
);

/** The two files DuckDB loads and the rows/s counts: projects and participations. */
const PEER_FILES = ["project.csv", "organization.csv"] as const;

/** Extracts `names` from the zip into `dir` (for DuckDB, which reads files, not zip entries). */
function extract(zip: string, names: readonly string[], dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      file.on("error", reject);
      file.on("end", resolve);
      file.on("entry", (entry: yauzl.Entry) => {
        if (!names.includes(entry.fileName)) return file.readEntry();
        file.openReadStream(entry, async (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          writeFileSync(path.join(dir, entry.fileName), Buffer.concat(chunks));
          file.readEntry();
        });
      });
      file.readEntry();
    });
  });
}

/** DuckDB's load of the two files into tables, as its CSV reader does it (types sniffed, in memory). */
async function duckdbLoad(dir: string): Promise<{ seconds: number; rows: Record<string, number> }> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const rows: Record<string, number> = {};
  for (const file of PEER_FILES) {
    const table = file.replace(".csv", "");
    await connection.run(
      `CREATE TABLE ${table} AS SELECT * FROM read_csv('${path.join(dir, file)}', delim = ';', header = true, quote = '"')`,
    );
    const count = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
    rows[file] = Number(count.getRows()[0]![0]);
  }
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return { seconds, rows };
}

/**
 * Neo4j's own floor for what the import wrote: every node the import made live copied, inside Neo4j,
 * onto a node of a label of its own (BenchFloor, its properties and its source's element id, with a
 * range index on that id as the import keeps its id constraint), then every relationship between
 * them copied between the copies, in transactions of 10,000 nodes and 20,000 relationships, then all
 * removed. Nothing crosses Bolt and nothing is parsed, staged or published: no import through Cypher
 * writes the same graph in less time on this Neo4j. Seconds of each step, and the counts copied.
 */
async function neo4jWriteFloor(
  driver: Driver,
): Promise<{ nodes: number; relationships: number; nodeSeconds: number; relationshipSeconds: number }> {
  const session = driver.session({ database: "neo4j" });
  const timed = async (query: string) => {
    const started = performance.now();
    const result = await session.run(query);
    return { seconds: (performance.now() - started) / 1000, counters: result.summary.counters.updates() };
  };
  try {
    await session.run("CREATE INDEX bench_floor_src IF NOT EXISTS FOR (n:BenchFloor) ON (n.src)");
    await session.run("CALL db.awaitIndexes(300)");
    const nodes = await timed(
      `MATCH (n:Entity) CALL (n) {
         CREATE (c:BenchFloor) SET c = properties(n), c.src = elementId(n)
       } IN TRANSACTIONS OF 10000 ROWS`,
    );
    const relationships = await timed(
      `MATCH (a:Entity)-[r]->(b:Entity) CALL (a, r, b) {
         MATCH (ca:BenchFloor {src: elementId(a)}) MATCH (cb:BenchFloor {src: elementId(b)})
         CREATE (ca)-[c:BENCH_FLOOR]->(cb) SET c = properties(r)
       } IN TRANSACTIONS OF 20000 ROWS`,
    );
    return {
      nodes: nodes.counters.nodesCreated,
      relationships: relationships.counters.relationshipsCreated,
      nodeSeconds: Number(nodes.seconds.toFixed(2)),
      relationshipSeconds: Number(relationships.seconds.toFixed(2)),
    };
  } finally {
    await session
      .run("MATCH (c:BenchFloor) CALL (c) { DETACH DELETE c } IN TRANSACTIONS OF 5000 ROWS")
      .then(() => session.run("DROP INDEX bench_floor_src IF EXISTS"))
      .finally(() => session.close());
  }
}

/** Runs the HE benchmark (see the module's comment); `tag` is appended to the results' file name. */
export async function benchHorizonEurope(tag: string): Promise<void> {
  if (!existsSync(HE_ZIP)) {
    process.stdout.write(
      `size HE skipped: the export of all of Horizon Europe is not at ${HE_ZIP} (a clone without ../shared has none; download cordis-HORIZONprojects-csv.zip from CORDIS and put it there)\n`,
    );
    return;
  }
  const heap = process.env.ATLAS_NEO4J_HEAP || "1g";
  const log = createLogger("warn");
  const loadAtStart = os.loadavg();
  const csvDir = mkdtempSync(path.join(os.tmpdir(), "atlas-bench-he-csv-"));
  const { embedded, driver, stop } = await freshNeo4j("atlas-bench-he-", heap, log);
  try {
    const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
    const importOnce = () =>
      runCordisImport(driver, "neo4j", HE_ZIP, { countries, dryRun: false, strict: false }, log);
    process.stderr.write(`importing ${HE_ZIP} with a Neo4j heap of ${heap}\n`);
    const first = await timedImport(importOnce, embedded.pid);
    process.stderr.write(`imported in ${first.seconds.toFixed(1)} s; importing it again, unchanged\n`);
    const again = await timedImport(importOnce, embedded.pid);
    process.stderr.write("Neo4j's own floor: the same nodes and relationships copied inside Neo4j\n");
    const floor = await neo4jWriteFloor(driver);
    const graph = await graphCounts(driver);
    const extractStarted = performance.now();
    await extract(HE_ZIP, PEER_FILES, csvDir);
    const extractSeconds = (performance.now() - extractStarted) / 1000;
    process.stderr.write("loading the same two files into DuckDB\n");
    const duck = await duckdbLoad(csvDir);

    const fileRows = (report: RunCordisImportReport, name: string) =>
      report.files.find((f) => f.file.endsWith(`!${name}`))?.rows ?? 0;
    const peerRows = PEER_FILES.reduce((sum, name) => sum + fileRows(first.report, name), 0);
    const perSecond = (rows: number, seconds: number) => Math.round(rows / seconds);
    const timings = first.report.timings;
    const readMs = timings.totalMs - timings.stageMs - timings.publishMs - timings.cleanUpMs;
    const result = {
      date: new Date().toISOString(),
      size: "HE",
      export: { zip: path.basename(HE_ZIP), bytes: statSync(HE_ZIP).size },
      machine: { cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      versions: { node: process.version, neo4j: embedded.version },
      neo4jHeap: heap,
      projects: first.report.projects,
      participations: first.report.participations,
      /** project.csv + organization.csv: the rows DuckDB loads too. */
      rows: peerRows,
      /** Every row of the five files. */
      rowsRead: first.report.rowsRead,
      importSeconds: Number(first.seconds.toFixed(2)),
      importRowsPerSecond: perSecond(peerRows, first.seconds),
      importAllRowsPerSecond: perSecond(first.report.rowsRead, first.seconds),
      importPeakRssMb: first.peak.importerMb,
      neo4jPeakRssMb: first.peak.neo4jMb,
      /** CPU time of the importer (this process) and of Neo4j's Java process during the import. */
      cpuSeconds: first.cpuSeconds,
      /** Where the first import's time went (ms): read = parse + validate (with the zip's inflation). */
      profileMs: {
        read: readMs,
        stage: timings.stageMs,
        publish: timings.publishMs,
        lensesInPublish: timings.lensesMs,
        cleanUp: timings.cleanUpMs,
      },
      reimport: {
        seconds: Number(again.seconds.toFixed(2)),
        rowsPerSecond: perSecond(peerRows, again.seconds),
        projectsUpdated: again.report.run?.projectsUpdated ?? null,
        importPeakRssMb: again.peak.importerMb,
        neo4jPeakRssMb: again.peak.neo4jMb,
        cpuSeconds: again.cpuSeconds,
        profileMs: again.report.timings,
      },
      graph,
      duckdb: {
        version: (await import("@duckdb/node-api/package.json", { with: { type: "json" } })).default.version,
        seconds: Number(duck.seconds.toFixed(2)),
        rows: duck.rows,
        extractSeconds: Number(extractSeconds.toFixed(2)),
      },
      ratioToDuckdb: Number((first.seconds / duck.seconds).toFixed(1)),
      /**
       * The same nodes and relationships written by Neo4j from its own store (neo4jWriteFloor), warm,
       * after the two imports: what the import's Cypher path cannot go below on this Neo4j.
       */
      neo4jFloor: {
        ...floor,
        seconds: Number((floor.nodeSeconds + floor.relationshipSeconds).toFixed(2)),
        rowsPerSecond: perSecond(peerRows, floor.nodeSeconds + floor.relationshipSeconds),
        ratioToDuckdb: Number(((floor.nodeSeconds + floor.relationshipSeconds) / duck.seconds).toFixed(1)),
      },
      loadAverage: { start: loadAtStart, end: os.loadavg() },
    };
    const dir = path.join(projectRoot(), "bench", "results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${result.date.slice(0, 10)}-HE${tag ? `-${tag}` : ""}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const p = result.profileMs;
    const lines = [
      `## PerMed Atlas benchmark, size HE (all of Horizon Europe: ${result.projects} projects, ${result.participations} participations), ${result.date.slice(0, 10)}`,
      `${result.machine.cores} cores, Node ${process.version}, Neo4j ${embedded.version} with a ${heap} heap; load average ${loadAtStart.map((l) => l.toFixed(1)).join("/")} -> ${result.loadAverage.end.map((l) => l.toFixed(1)).join("/")}`,
      "",
      `Import: ${result.importSeconds} s, ${result.importRowsPerSecond} rows/s (${peerRows} rows of project.csv and organization.csv; ${result.importAllRowsPerSecond} rows/s over all ${result.rowsRead} rows of the five files)`,
      `  time: read and validate ${p.read} ms, stage ${p.stage} ms, publish ${p.publish} ms (of which lenses ${p.lensesInPublish} ms), clean-up ${p.cleanUp} ms`,
      `  peak RSS: importer ${result.importPeakRssMb} MB, Neo4j (Java) ${result.neo4jPeakRssMb} MB; CPU: importer ${result.cpuSeconds.importer} s, Neo4j ${result.cpuSeconds.neo4j} s`,
      `Re-import, unchanged: ${result.reimport.seconds} s, ${result.reimport.rowsPerSecond} rows/s; peak RSS importer ${result.reimport.importPeakRssMb} MB, Neo4j ${result.reimport.neo4jPeakRssMb} MB`,
      `DuckDB ${result.duckdb.version}, same two files: ${result.duckdb.seconds} s (after ${result.duckdb.extractSeconds} s to extract them from the zip); Atlas/DuckDB: ${result.ratioToDuckdb}x`,
      `Neo4j's own floor (the same ${result.neo4jFloor.nodes} nodes and ${result.neo4jFloor.relationships} relationships copied inside Neo4j, warm): ${result.neo4jFloor.seconds} s (nodes ${result.neo4jFloor.nodeSeconds} s, relationships ${result.neo4jFloor.relationshipSeconds} s), ${result.neo4jFloor.rowsPerSecond} rows/s, ${result.neo4jFloor.ratioToDuckdb}x DuckDB`,
      "",
      `JSON: ${path.relative(process.cwd(), file)}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await stop();
    rmSync(csvDir, { recursive: true, force: true });
  }
}
