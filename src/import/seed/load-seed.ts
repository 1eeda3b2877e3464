import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import {
  applyLenses,
  type LensReport,
  lensesWithStored,
  removeRuleLinks,
} from "../../classify/apply-lenses.js";
import { readLensDir } from "../../classify/lens-file.js";
import { bumpDataVersion } from "../../db/data-version.js";
import { readRorFile } from "../../identity/ror-file.js";
import { InputValidationError } from "../../util/input-problems.js";
import type { Logger } from "../../util/logger.js";
import { projectRoot } from "../../util/project-root.js";
import { openCordisSource } from "../cordis/cordis-source.js";
import { type CordisImportReport, importCordis } from "../cordis/import-cordis.js";
import { type ChangeCounts, noChanges } from "../cordis/mirror.js";
import { importCordisMirrored } from "../cordis/mirrored-import.js";
import { displayLocation } from "../cordis/run-cordis-import.js";
import {
  addCounts,
  emptyCounts,
  mergeNodes,
  mergeRelationships,
  type WriteCounts,
  type WriteTransaction,
} from "../graph-writer.js";
import { defaultRorFile, linkIdentities } from "../identity/link-identities.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import-run.js";
import { readCountryReference } from "./countries.js";
import { readSeed } from "./read-seed.js";

/** The curated seed of the repository: <project root>/seed. */
export const defaultSeedDir = () => path.join(projectRoot(), "seed");

export interface SeedReport extends WriteCounts {
  nodes: number;
  relationships: number;
  cordisProjects: number;
  /** The topic lenses applied at the end of the load (seed/lenses/*.yaml and those stored in the graph). */
  lenses: LensReport[];
  ms: number;
  /** The ImportRun written with the seed. */
  run: ImportRunRecord;
}

/** The curated files the seed reads besides the CORDIS exports, with their sha256 (rows: not row-based). */
function curatedFiles(seedDir: string, displayRoot: string): ImportRunRecord["files"] {
  const files: string[] = [];
  const add = (folder: string, suffixes: string[]) => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder).sort())
      if (suffixes.some((suffix) => name.endsWith(suffix))) files.push(path.join(folder, name));
  };
  add(seedDir, [".yaml", ".yml"]);
  add(path.join(seedDir, "reference"), [".csv"]);
  return files.map((file) => ({
    file: path.relative(displayRoot, file),
    sha256: createHash("sha256").update(readFileSync(file)).digest("hex"),
    rows: null,
  }));
}

/** The CORDIS exports shipped with the seed: every folder under seed/cordis/ that holds a project.csv. */
function cordisFolders(seedDir: string): string[] {
  const root = path.join(seedDir, "cordis");
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, "project.csv")))
    .map((entry) => path.join(root, entry.name))
    .sort();
}

/** Everything the seed writes, validated; nothing written yet. */
interface ValidatedSeed {
  countries: ReturnType<typeof readCountryReference>;
  /** The CORDIS export folders, each with the report of its validation pass. */
  cordis: Map<string, CordisImportReport>;
  plan: ReturnType<typeof readSeed>;
  lensFiles: ReturnType<typeof readLensDir>;
}

/**
 * Reads and validates every file of the seed: the country reference, the CORDIS exports (a row the
 * importer would reject is an error: the seed is curated), the curated YAML and the lens files.
 * Throws InputValidationError listing every problem; writes nothing.
 */
async function validateSeed(seedDir: string, displayRoot: string): Promise<ValidatedSeed> {
  const countries = readCountryReference(path.join(seedDir, "reference"));
  const externalIds = new Map<string, string[]>();
  const cordis = new Map<string, CordisImportReport>();
  for (const folder of cordisFolders(seedDir)) {
    const source = await openCordisSource(folder, displayRoot);
    try {
      const check = await importCordis(source, undefined, { countries });
      if (check.rejected.length) throw new InputValidationError(check.rejected);
      cordis.set(folder, check);
      for (const id of check.projectIds) externalIds.set(id, ["Project"]);
    } finally {
      source.close();
    }
  }
  const plan = readSeed({ seedDir, countries, externalIds, displayRoot });
  const lensFiles = readLensDir(path.join(seedDir, "lenses"), displayRoot);
  return { countries, cordis, plan, lensFiles };
}

/** What writing the seed's CORDIS exports did, for the seed's report and its ImportRun. */
interface CordisWrite {
  files: ImportRunRecord["files"];
  rowsRead: number;
  projects: number;
  changes: ChangeCounts;
  counts: WriteCounts;
}

/**
 * Writes the seed's CORDIS exports in `tx`, mirrored like any import (never pruned: the seed adds, a
 * maintainer prunes with `import cordis --prune`).
 */
async function writeSeedCordis(
  tx: WriteTransaction,
  seed: ValidatedSeed,
  displayRoot: string,
): Promise<CordisWrite> {
  const written: CordisWrite = {
    files: [],
    rowsRead: 0,
    projects: 0,
    changes: noChanges(),
    counts: emptyCounts(),
  };
  for (const [folder, check] of seed.cordis) {
    const source = await openCordisSource(folder, displayRoot);
    try {
      const mirrored = await importCordisMirrored(
        source,
        tx,
        { countries: seed.countries, prune: false },
        check,
      );
      const report = mirrored.report;
      for (const [name, value] of Object.entries(mirrored.counts))
        written.changes[name as keyof ChangeCounts] += value;
      written.files.push(...report.files);
      written.rowsRead += report.rowsRead;
      written.projects += report.projects;
      written.counts = addCounts(written.counts, {
        nodesCreated: report.nodesCreated,
        relationshipsCreated: report.relationshipsCreated,
        propertiesSet: 0,
        labelsAdded: 0,
      });
    } finally {
      source.close();
    }
  }
  return written;
}

/**
 * Loads the seed: the country reference, the CORDIS exports under seed/cordis/ and the curated YAML.
 * Everything is validated before the first write (a CORDIS row the importer would reject is an
 * error here: the seed is curated), then written in one transaction, so a bad file changes nothing.
 * Returns counts of what was written, the lenses applied, the ImportRun and the time taken (ms).
 * Throws InputValidationError (every problem, `file:line: field: reason`) or the driver's errors.
 */
export async function loadSeed(
  driver: Driver,
  database: string,
  log: Logger,
  seedDir = defaultSeedDir(),
): Promise<SeedReport> {
  const started = Date.now();
  const displayRoot = path.dirname(seedDir);
  const seed = await validateSeed(seedDir, displayRoot);
  const { plan } = seed;
  const nodes = plan.nodes.reduce((sum, group) => sum + group.rows.length, 0);
  const session = driver.session({ database });
  try {
    const written = await session.executeWrite(async (tx) => {
      // Everything is computed inside the work: a retried transaction starts again.
      await removeRuleLinks(tx);
      let total = emptyCounts();
      for (const group of plan.nodes)
        total = addCounts(total, await mergeNodes(tx, group.labels, group.rows));
      const cordis = await writeSeedCordis(tx, seed, displayRoot);
      total = addCounts(total, cordis.counts);
      for (const group of plan.relationships) {
        total = addCounts(total, await mergeRelationships(tx, group.type, group.rows, group.keyNames));
      }
      // Topic lenses (issue 18): derived ADDRESSES links, in the same transaction as the data.
      const lenses = await applyLenses(tx, await lensesWithStored(tx, seed.lensFiles));
      // Identity (ROR) is derived like the lens links, from the graph just written, in its transaction.
      await linkIdentities(tx, readRorFile(defaultRorFile()));
      const run: ImportRunRecord = {
        id: newImportRunId(new Date(started)),
        source: "seed",
        location: displayLocation(seedDir),
        startedAt: new Date(started),
        finishedAt: new Date(),
        status: "SUCCEEDED",
        files: [...curatedFiles(seedDir, displayRoot), ...cordis.files],
        // CSV rows of the CORDIS exports plus the curated records (nodes) of the YAML files.
        rowsRead: cordis.rowsRead + nodes,
        rowsRejected: 0,
        ...cordis.changes,
        projectsUnlisted: 0,
      };
      await writeImportRun(tx, run);
      await bumpDataVersion(tx);
      return { total, run, lenses, cordisProjects: cordis.projects };
    });
    const report: SeedReport = {
      ...written.total,
      nodes,
      relationships: plan.relationships.reduce((sum, group) => sum + group.rows.length, 0),
      cordisProjects: written.cordisProjects,
      lenses: written.lenses,
      ms: Date.now() - started,
      run: written.run,
    };
    log.info(report, "seed loaded");
    return report;
  } finally {
    await session.close();
  }
}

/**
 * True when the graph holds no data: the bookkeeping of earlier writes (the data version, import runs
 * and their files) does not count, so a store that was emptied is seeded again at start.
 */
export async function isGraphEmpty(driver: Driver, database: string): Promise<boolean> {
  const { records } = await driver.executeQuery(
    "MATCH (n) WHERE NOT n:DataVersion AND NOT n:ImportRun AND NOT n:ImportFile RETURN count(n) > 0 AS any LIMIT 1",
    {},
    { database },
  );
  return !records[0]?.get("any");
}
