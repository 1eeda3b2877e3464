import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { applyLenses, storedLenses } from "../../classify/apply-lenses.js";
import { bumpDataVersion } from "../../db/data-version.js";
import type { Logger } from "../../util/logger.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import-run.js";
import {
  ImportInterruptedError,
  ImportTooLargeError,
  InputValidationError,
  isTransactionMemoryError,
  NoValidRowsError,
} from "../problems.js";
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
  /**
   * Aborting it interrupts the run: a write in progress is rolled back, and the run rejects with
   * ImportInterruptedError as soon as that is done. The CLI aborts it on SIGINT/SIGTERM.
   */
  signal?: AbortSignal;
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
 * A promise that rejects with ImportInterruptedError once `signal` aborts and `rollback` (if any) has
 * finished; `stop` detaches it. Raced against the work, so the caller hears at once, whatever the work
 * is doing (reading a file does not look at the signal).
 */
function interruption(
  signal: AbortSignal | undefined,
  rollback: () => Promise<void>,
): { interrupted: Promise<never>; stop: () => void } {
  let onAbort = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    onAbort = () => {
      void rollback().finally(() => reject(new ImportInterruptedError()));
    };
  });
  // Only raced: unobserved when the work wins.
  interrupted.catch(() => {});
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return { interrupted, stop: () => signal?.removeEventListener("abort", onAbort) };
}

/** The work, or ImportInterruptedError when `signal` aborts first; the losing work's failure is ignored. */
async function unlessInterrupted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  rollback: () => Promise<void> = async () => {},
): Promise<T> {
  const { interrupted, stop } = interruption(signal, rollback);
  work.catch(() => {});
  try {
    return await Promise.race([work, interrupted]);
  } catch (error) {
    // Once interrupted, the work fails for that very reason (its transaction terminated): say so.
    if (signal?.aborted) return await interrupted;
    throw error;
  } finally {
    stop();
  }
}

/**
 * One run, one transaction: an interrupted or failed import rolls back and leaves the graph as it
 * was (Neo4j also rolls back a transaction whose client disappears, e.g. after kill -9). The export is
 * read twice: first to validate it (with --strict a rejected value stops the run before any write)
 * and to learn which projects it holds, then to write it with mirror semantics (mirrored-import.ts).
 * The ImportRun and the data-version bump commit with the data. Installs no signal handlers: a
 * caller interrupts it through `options.signal` (ImportInterruptedError). Other errors:
 * InputValidationError (--strict), ImportTooLargeError (Neo4j's transaction memory), driver errors.
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
    const check = await unlessInterrupted(
      importCordis(source, undefined, {
        ...withoutProgress(options),
        onBatchWritten: undefined,
        onProgress: (progress) => options.onProgress?.({ ...progress, phase: "validate" }),
      }),
      options.signal,
    );
    if (check.validProjectRows === 0) {
      // Nothing to import is a failure, not an empty success: no ImportRun, no new data version.
      const projectFile = source.files.get("project.csv")!.displayName;
      const rows = check.files.find((f) => f.file === projectFile)?.rows ?? 0;
      throw new NoValidRowsError(projectFile, rows, check.rejected);
    }
    if (options.strict && check.rejected.length) throw new InputValidationError(check.rejected);
    if (options.dryRun) return await dryRunReport(driver, database, options, check);
    return await writeRun(driver, database, source, check, { ...options, location, startedAt }, log);
  } finally {
    source.close();
  }
}

type CheckReport = Awaited<ReturnType<typeof importCordis>>;

/** The report of a dry run: the validation pass and, for an unfiltered export, the projects it no longer lists. */
async function dryRunReport(
  driver: Driver,
  database: string,
  options: RunCordisImportOptions,
  check: CheckReport,
): Promise<RunCordisImportReport> {
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

/** The options of the write pass: progress tagged "write" and counted in `rowsByFile`, batches logged. */
function writePassOptions(options: RunCordisImportOptions, rowsByFile: Map<string, number>, log: Logger) {
  return {
    ...withoutProgress(options),
    prune: options.prune ?? false,
    onProgress: (progress: ImportProgress) => {
      rowsByFile.set(progress.file, progress.rows);
      options.onProgress?.({ ...progress, phase: "write" as const });
    },
    onBatchWritten: (written: { nodes: number; relationships: number }) => {
      log.debug(
        { nodesWritten: written.nodes, relationshipsWritten: written.relationships },
        "import batch written",
      );
      options.onBatchWritten?.(written);
    },
  };
}

/** How long an interrupted import waits for its rollback after the server was told to terminate it. */
const ROLLBACK_WAIT_MS = 3_000;

/**
 * Terminates, on the server, the open transaction whose metadata carries `runTag` (SHOW and TERMINATE
 * TRANSACTIONS, which Community Edition allows for the user's own transactions). Neo4j then rolls it
 * back whatever it was doing, and its query in flight fails.
 */
async function terminateOnServer(driver: Driver, database: string, runTag: string): Promise<void> {
  const session = driver.session({ database });
  try {
    const found = await session.run(
      "SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.run = $runTag RETURN transactionId",
      { runTag },
    );
    const ids = found.records.map((record) => record.get("transactionId") as string);
    if (ids.length) await session.run("TERMINATE TRANSACTIONS $ids", { ids });
  } finally {
    await session.close();
  }
}

/**
 * The write pass in one transaction: the mirrored import, the lenses, the ImportRun and the data
 * version, committed together or rolled back together (on any error and on `options.signal`).
 */
async function writeRun(
  driver: Driver,
  database: string,
  source: Awaited<ReturnType<typeof openCordisSource>>,
  check: CheckReport,
  options: RunCordisImportOptions & { location: string; startedAt: Date },
  log: Logger,
): Promise<RunCordisImportReport> {
  const session = driver.session({ database });
  // The metadata names the import in SHOW TRANSACTIONS, so an operator (or a test) can see it running,
  // and `run` lets an interruption find this very transaction to terminate it.
  const runTag = randomUUID();
  const tx = session.beginTransaction({
    timeout: 60 * 60 * 1000,
    metadata: { app: "permed-atlas", job: "import cordis", pid: process.pid, run: runTag },
  });
  const rollbackOnInterrupt = async () => {
    if (!tx.isOpen()) return;
    log.warn("interrupted: ending the import's transaction on the server and rolling back");
    // A rollback from the client waits until the query in flight ends, which may take minutes (a
    // large batch, a lock wait): Neo4j is told to terminate the transaction first.
    await terminateOnServer(driver, database, runTag).catch((error: unknown) =>
      log.warn({ err: error }, "could not terminate the import's transaction on the server"),
    );
    await Promise.race([
      tx.rollback().catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, ROLLBACK_WAIT_MS).unref()),
    ]);
  };
  // Rows read so far, by file: said in the error when Neo4j runs out of transaction memory.
  const rowsByFile = new Map<string, number>();
  const tracked = writePassOptions(options, rowsByFile, log);
  const write = async (): Promise<RunCordisImportReport> => {
    const mirrored = await importCordisMirrored(source, tx, tracked, check);
    const { report } = mirrored;
    if (options.strict && report.rejected.length) {
      await tx.rollback();
      throw new InputValidationError(report.rejected);
    }
    // Topic lenses (issue 18): the lenses applied before classify the imported projects too.
    await applyLenses(tx, await storedLenses(tx));
    const run: ImportRunRecord = {
      id: newImportRunId(options.startedAt),
      source: [...report.sourceIds].sort().join(", "),
      location: displayLocation(options.location),
      startedAt: options.startedAt,
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
  };
  try {
    return await unlessInterrupted(write(), options.signal, rollbackOnInterrupt);
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
    await session.close();
  }
}
