import path from "node:path";
import type { Driver } from "neo4j-driver";
import { applyLenses, storedLenses } from "../../classify/apply-lenses.js";
import { bumpDataVersion } from "../../db/data-version.js";
import type { Logger } from "../../util/logger.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import-run.js";
import { ImportTooLargeError, InputValidationError, isTransactionMemoryError } from "../problems.js";
import type { ImportPhase } from "../progress.js";
import { openCordisSource } from "./cordis-source.js";
import { type CordisImportOptions, type CordisImportReport, importCordis } from "./import-cordis.js";
import type { RecordChange } from "./mirror.js";
import { unlistedProjects } from "./mirror.js";
import { importCordisMirrored } from "./mirrored-import.js";

export interface RunCordisImportOptions extends Omit<CordisImportOptions, "onProgress"> {
  /** Progress of each file in each pass: the export is validated, then written (progress.ts). */
  onProgress?: (progress: ImportProgress & { phase: ImportPhase }) => void;
  dryRun: boolean;
  /** Any rejected value fails the whole run before anything is written. */
  strict: boolean;
  /** Remove the projects of the export's Sources that an unfiltered export no longer lists. */
  prune?: boolean;
  displayRoot?: string;
}

export interface RunCordisImportReport extends CordisImportReport {
  /** The ImportRun written with the data; undefined for a dry run (nothing is written). */
  run: ImportRunRecord | undefined;
  /** Every record the run changed (`--changes`); empty for a dry run. */
  changes: RecordChange[];
  /** Projects of the export's Sources in the graph that the unfiltered export no longer lists. */
  unlistedProjects: string[];
  /** Of those, removed by --prune, and kept by --prune because curated data refers to them. */
  prunedProjects: string[];
  keptCuratedProjects: string[];
}

/** A location as a user would type it: relative to the working directory when inside it, else absolute. */
export function displayLocation(location: string): string {
  const relative = path.relative(process.cwd(), location);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? location : relative;
}

type ImportProgress = Parameters<NonNullable<CordisImportOptions["onProgress"]>>[0];

/** The options as importCordis takes them; each pass passes its own progress (with its phase). */
function withoutProgress(options: RunCordisImportOptions): Omit<RunCordisImportOptions, "onProgress"> {
  const { onProgress: _onProgress, ...rest } = options;
  return rest;
}

/**
 * One run, one transaction: an interrupted or failed import rolls back and leaves the graph as it
 * was (Neo4j also rolls back a transaction whose client disappears, e.g. after kill -9). The export is
 * read twice: first to validate it (with --strict a rejected value stops the run before any write)
 * and to learn which projects it holds, then to write it with mirror semantics (mirrored-import.ts).
 * The ImportRun and the data-version bump commit with the data.
 */
export async function runCordisImport(
  driver: Driver,
  database: string,
  location: string,
  options: RunCordisImportOptions,
  log: Logger,
): Promise<RunCordisImportReport> {
  const startedAt = new Date();
  const source = await openCordisSource(location, options.displayRoot);
  try {
    const check = await importCordis(source, undefined, {
      ...withoutProgress(options),
      onBatchWritten: undefined,
      onProgress: (progress) => options.onProgress?.({ ...progress, phase: "validate" }),
    });
    if (options.strict && check.rejected.length) throw new InputValidationError(check.rejected);
    if (options.dryRun) {
      const filtered = Boolean(options.match || options.topicPrefixes?.length);
      const session = driver.session({ database });
      try {
        const unlisted = filtered
          ? []
          : await session.executeRead((tx) => unlistedProjects(tx, check.sourceIds, check.listedProjectIds));
        return {
          ...check,
          run: undefined,
          changes: [],
          unlistedProjects: unlisted,
          prunedProjects: [],
          keptCuratedProjects: [],
        };
      } finally {
        await session.close();
      }
    }
    const session = driver.session({ database });
    // The metadata names the import in SHOW TRANSACTIONS, so an operator (or a test) can see it running.
    const tx = session.beginTransaction({
      timeout: 60 * 60 * 1000,
      metadata: { app: "permed-atlas", job: "import cordis", pid: process.pid },
    });
    const interrupted = () => {
      log.warn("interrupted: rolling back the import");
      void tx.rollback().finally(() => process.exit(130));
    };
    process.once("SIGINT", interrupted);
    process.once("SIGTERM", interrupted);
    // Rows read so far, by file: said in the error when Neo4j runs out of transaction memory.
    const rowsByFile = new Map<string, number>();
    const tracked = {
      ...withoutProgress(options),
      prune: options.prune ?? false,
      onProgress: (progress: ImportProgress) => {
        rowsByFile.set(progress.file, progress.rows);
        options.onProgress?.({ ...progress, phase: "write" });
      },
      onBatchWritten: (written: { nodes: number; relationships: number }) => {
        log.debug(
          { nodesWritten: written.nodes, relationshipsWritten: written.relationships },
          "import batch written",
        );
        options.onBatchWritten?.(written);
      },
    };
    try {
      const mirrored = await importCordisMirrored(source, tx, tracked, check);
      const { report } = mirrored;
      if (options.strict && report.rejected.length) {
        await tx.rollback();
        throw new InputValidationError(report.rejected);
      }
      // Topic lenses (issue 18): the lenses applied before classify the imported projects too.
      await applyLenses(tx, await storedLenses(tx));
      const run: ImportRunRecord = {
        id: newImportRunId(startedAt),
        source: [...report.sourceIds].sort().join(", "),
        location: displayLocation(location),
        startedAt,
        finishedAt: new Date(),
        status: "SUCCEEDED",
        files: report.files,
        rowsRead: report.rowsRead,
        rowsRejected: report.rejected.length,
        ...mirrored.counts,
        projectsUnlisted: mirrored.unlisted.length - mirrored.pruned.length,
      };
      await writeImportRun(tx, run);
      await bumpDataVersion(tx);
      await tx.commit();
      return {
        ...report,
        run,
        changes: mirrored.changes,
        unlistedProjects: mirrored.unlisted,
        prunedProjects: mirrored.pruned,
        keptCuratedProjects: mirrored.keptCurated,
      };
    } catch (error) {
      if (tx.isOpen()) await tx.rollback();
      if (isTransactionMemoryError(error)) {
        throw new ImportTooLargeError(
          [...rowsByFile.values()].reduce((sum, rows) => sum + rows, 0),
          error,
        );
      }
      throw error;
    } finally {
      process.removeListener("SIGINT", interrupted);
      process.removeListener("SIGTERM", interrupted);
      await session.close();
    }
  } finally {
    source.close();
  }
}
