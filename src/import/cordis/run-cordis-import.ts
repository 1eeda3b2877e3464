import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Driver, Session, Transaction } from "neo4j-driver";
import { applyLenses, storedLenses } from "../../classify/apply-lenses.js";
import { bumpDataVersion } from "../../db/data-version.js";
import {
  ImportInterruptedError,
  ImportTooLargeError,
  InputValidationError,
  isTransactionMemoryError,
  NoValidRowsError,
} from "../../util/input-problems.js";
import type { Logger } from "../../util/logger.js";
import type { WriteTransaction } from "../graph-writer.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import-run.js";
import { beatImportLock, releaseImportLock, removeStaging } from "../openaire/openaire-staging.js";
import type { ImportPhase } from "../progress.js";
import { openCordisSource } from "./cordis-source.js";
import { CORDIS_STAGING, StagingWriter } from "./cordis-staging.js";
import { type CordisImportOptions, type CordisImportReport, importCordis } from "./import-cordis.js";
import type { RecordChange } from "./mirror.js";
import { unlistedProjects } from "./mirror.js";
import { publishCordisMirrored } from "./mirrored-import.js";

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
  /**
   * Where the wall time went, in milliseconds (a dry run: `total` only): `stage` the staging
   * transactions, `publish` the publish transaction (commit included) of which `lenses` the topic
   * lenses, `cleanUp` the removal of the staged copies after it; the rest of `total` is reading,
   * parsing and validating the files.
   */
  timings: { totalMs: number; stageMs: number; publishMs: number; lensesMs: number; cleanUpMs: number };
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
 * One run, staged then published: the export is read once, its nodes staged in transactions of
 * 10,000 where no reader sees them (cordis-staging.ts), its relationships kept in a file, and ONE
 * publish transaction makes it all visible with mirror semantics (mirrored-import.ts), the lenses,
 * the ImportRun and the data-version bump. Readers see all of an import or none of it; a failed or
 * interrupted run removes its staging, and one that could not (kill -9, a crash) leaves it to the
 * next import, which removes it first. With --strict a rejected value stops the run before the
 * publish. A dry run reads the export without writing. Installs no signal handlers: a caller
 * interrupts it through `options.signal` (ImportInterruptedError). Other errors: InputValidationError
 * (--strict), NoValidRowsError, ImportBusyError (another CORDIS import is running), ImportTooLargeError
 * (Neo4j's transaction memory, at the publish), driver errors.
 */
export async function runCordisImport(
  driver: Driver,
  database: string,
  location: string,
  options: RunCordisImportOptions,
  log: Logger,
): Promise<RunCordisImportReport> {
  const startedAt = new Date();
  if (options.signal?.aborted) throw new ImportInterruptedError();
  const source = await openCordisSource(location, options.displayRoot);
  try {
    if (!options.dryRun)
      return await writeRun(driver, database, source, { ...options, location, startedAt }, log);
    const check = await unlessInterrupted(
      importCordis(source, undefined, {
        ...withoutProgress(options),
        onBatchWritten: undefined,
        onProgress: (progress) => options.onProgress?.({ ...progress, phase: "validate" }),
      }),
      options.signal,
    );
    refuseUnusable(source, check, options.strict);
    return await dryRunReport(driver, database, options, check);
  } finally {
    source.close();
  }
}

/**
 * Throws when the export read cannot be imported: NoValidRowsError when project.csv has no valid row
 * (nothing to import is a failure, not an empty success: no ImportRun, no new data version), and
 * InputValidationError with --strict when any value was rejected.
 */
function refuseUnusable(
  source: Awaited<ReturnType<typeof openCordisSource>>,
  check: CordisImportReport,
  strict: boolean,
): void {
  if (check.validProjectRows === 0) {
    const projectFile = source.files.get("project.csv")!.displayName;
    const rows = check.files.find((f) => f.file === projectFile)?.rows ?? 0;
    throw new NoValidRowsError(projectFile, rows, check.rejected);
  }
  if (strict && check.rejected.length) throw new InputValidationError(check.rejected);
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
      timings: { totalMs: 0, stageMs: 0, publishMs: 0, lensesMs: 0, cleanUpMs: 0 },
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
 * Transactions of one run in `session`, each tagged with `runTag` (so that an interruption can
 * terminate the one in flight on the server) and committed when its work resolves. Once `signal`
 * aborts, no transaction commits or begins (ImportInterruptedError).
 */
function runTransactions(session: Session, runTag: string, signal: AbortSignal | undefined) {
  let current: Transaction | undefined;
  const inTransaction = async <T>(step: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new ImportInterruptedError();
    const tx = session.beginTransaction({
      timeout: 60 * 60 * 1000,
      metadata: { app: "permed-atlas", job: "import cordis", step, pid: process.pid, run: runTag },
    });
    current = tx;
    try {
      const result = await work(tx);
      if (signal?.aborted) throw new ImportInterruptedError();
      await tx.commit();
      return result;
    } catch (error) {
      if (tx.isOpen()) await tx.rollback().catch(() => {});
      throw signal?.aborted ? new ImportInterruptedError() : error;
    } finally {
      current = undefined;
    }
  };
  return { inTransaction, current: () => current };
}

type CordisSource = Awaited<ReturnType<typeof openCordisSource>>;

/** What the steps of the write pass share. */
interface WritePass {
  driver: Driver;
  database: string;
  source: CordisSource;
  options: RunCordisImportOptions & { location: string; startedAt: Date };
  log: Logger;
  runId: string;
  tracked: ReturnType<typeof writePassOptions>;
  writer: StagingWriter;
  inTransaction: ReturnType<typeof runTransactions>["inTransaction"];
}

/**
 * What an interruption does before the run rejects: the transaction in flight is terminated on the
 * server, then rolled back (waiting at most ROLLBACK_WAIT_MS).
 */
function rollbackOnInterrupt(
  driver: Driver,
  database: string,
  runTag: string,
  current: () => Transaction | undefined,
  log: Logger,
): () => Promise<void> {
  return async () => {
    log.warn("interrupted: ending the import's transaction on the server and rolling back");
    // A rollback from the client waits until the query in flight ends, which may take minutes (a
    // large batch, a lock wait): Neo4j is told to terminate the transaction first.
    await terminateOnServer(driver, database, runTag).catch((error: unknown) =>
      log.warn({ err: error }, "could not terminate the import's transaction on the server"),
    );
    const tx = current();
    if (tx?.isOpen())
      await Promise.race([
        tx.rollback().catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, ROLLBACK_WAIT_MS).unref()),
      ]);
  };
}

/**
 * The publish transaction's work: the staged run made live with mirror semantics, the lenses applied,
 * the ImportRun written, the data version bumped and the lock released. `lensesMs`: the lenses' part.
 */
async function publishRun(
  tx: WriteTransaction,
  pass: WritePass,
  staged: CordisImportReport,
): Promise<{ published: Omit<RunCordisImportReport, "timings">; lensesMs: number }> {
  const { runId, options, writer } = pass;
  // Still ours: a run whose lock was taken over as abandoned must not publish beside the new one.
  await beatImportLock(tx, runId, CORDIS_STAGING);
  const mirrored = await publishCordisMirrored(tx, pass.tracked, staged, (t) => writer.publish(t));
  const { report } = mirrored;
  // Topic lenses (issue 18): the lenses applied before classify the imported projects too.
  const lensesStarted = performance.now();
  await applyLenses(tx, await storedLenses(tx));
  const lensesMs = performance.now() - lensesStarted;
  const run: ImportRunRecord = {
    id: runId,
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
  await releaseImportLock(tx, runId, CORDIS_STAGING);
  const published = {
    ...report,
    run,
    changes: mirrored.changes,
    unlistedProjects: mirrored.unlisted,
    prunedProjects: mirrored.pruned,
    keptCuratedProjects: mirrored.keptCurated,
  };
  return { published, lensesMs };
}

/** The export staged, the lock claimed, the run published, and the staged copies of live nodes removed. */
async function stageAndPublish(pass: WritePass): Promise<RunCordisImportReport> {
  const { writer, log, options } = pass;
  const staged = await importCordis(pass.source, writer, pass.tracked).catch(async (error: unknown) => {
    // A file refused while a staging batch is written: that batch ends before the run cleans up.
    await writer.settled().catch(() => {});
    throw error;
  });
  refuseUnusable(pass.source, staged, options.strict);
  await writer.claim();
  if (writer.abandoned)
    log.warn({ abandoned: writer.abandoned }, "cordis import lock of an abandoned run taken over");
  if (writer.leftoverRemoved)
    log.warn(
      { removed: writer.leftoverRemoved },
      "removed the staging that earlier, unfinished cordis imports left",
    );
  await writer.stageLinks();
  const publishStarted = performance.now();
  const { published, lensesMs } = await pass.inTransaction("publish", (tx) => publishRun(tx, pass, staged));
  // Published: what is left staged (copies of nodes that were live) is invisible; removed now, or by
  // the next import if this fails.
  const publishMs = performance.now() - publishStarted;
  await removeRunStaging(pass.driver, pass.database, pass.runId, log, "published");
  const round = Math.round;
  return {
    ...published,
    timings: {
      totalMs: Date.now() - options.startedAt.getTime(),
      stageMs: round(writer.stageMs),
      publishMs: round(publishMs),
      lensesMs: round(lensesMs),
      cleanUpMs: round(performance.now() - publishStarted - publishMs),
    },
  };
}

/**
 * The write pass: the lock claimed (and the staging crashed runs left removed), the export staged,
 * then the publish transaction (mirror semantics, lenses, ImportRun, data version, the lock released).
 * After the commit, the staged copies of nodes that were live are removed. On any error and on
 * `options.signal`, the open transaction is ended on the server and the run's staging removed.
 */
async function writeRun(
  driver: Driver,
  database: string,
  source: CordisSource,
  options: RunCordisImportOptions & { location: string; startedAt: Date },
  log: Logger,
): Promise<RunCordisImportReport> {
  const session = driver.session({ database });
  // The metadata names the import in SHOW TRANSACTIONS, so an operator (or a test) can see it running,
  // and `run` lets an interruption find the transaction in flight to terminate it.
  const runTag = randomUUID();
  const runId = newImportRunId(options.startedAt);
  const { inTransaction, current } = runTransactions(session, runTag, options.signal);
  // Rows read so far, by file: said in the error when Neo4j runs out of transaction memory.
  const rowsByFile = new Map<string, number>();
  const tracked = writePassOptions(options, rowsByFile, log);
  const writer = new StagingWriter(inTransaction, runId, tracked.onBatchWritten);
  const pass: WritePass = { driver, database, source, options, log, runId, tracked, writer, inTransaction };
  try {
    return await unlessInterrupted(
      stageAndPublish(pass),
      options.signal,
      rollbackOnInterrupt(driver, database, runTag, current, log),
    );
  } catch (error) {
    await removeRunStaging(driver, database, runId, log, "not published");
    if (isTransactionMemoryError(error)) {
      throw new ImportTooLargeError(
        [...rowsByFile.values()].reduce((sum, rows) => sum + rows, 0),
        error,
      );
    }
    throw error;
  } finally {
    writer.remove();
    await session.close();
  }
}

/**
 * Removes the staging of `runId` and releases its lock (when it still holds it), in a session of its
 * own (the run's may be broken or interrupted). Failures are logged, not thrown: the next import
 * removes what is left.
 */
async function removeRunStaging(
  driver: Driver,
  database: string,
  runId: string,
  log: Logger,
  state: "published" | "not published",
): Promise<void> {
  const session = driver.session({ database });
  const { inTransaction } = runTransactions(session, randomUUID(), undefined);
  try {
    const removed = await removeStaging(inTransaction, { onlyRun: runId }, CORDIS_STAGING);
    await inTransaction("release lock", (tx) => releaseImportLock(tx, runId, CORDIS_STAGING));
    // Said only when there was staging: a file refused before any row was read leaves one line of error.
    if (state === "not published" && removed)
      log.warn({ removed }, "cordis import not published: its staging removed, the graph is as before");
  } catch (error) {
    log.error({ err: error }, `cordis import ${state}; its staging is left for the next import to remove`);
  } finally {
    await session.close();
  }
}
