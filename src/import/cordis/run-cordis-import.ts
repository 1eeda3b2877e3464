import type { Driver } from "neo4j-driver";
import { applyLenses, storedLenses } from "../../classify/apply-lenses.js";
import type { Logger } from "../../util/logger.js";
import { ImportTooLargeError, InputValidationError, isTransactionMemoryError } from "../problems.js";
import { openCordisSource } from "./cordis-source.js";
import { type CordisImportOptions, type CordisImportReport, importCordis } from "./import-cordis.js";

export interface RunCordisImportOptions extends CordisImportOptions {
  dryRun: boolean;
  /** Any rejected row fails the whole run (nothing is written). */
  strict: boolean;
  displayRoot?: string;
}

/**
 * One run, one transaction: an interrupted or failed import rolls back and leaves the graph as it
 * was (Neo4j also rolls back a transaction whose client disappears, e.g. after kill -9).
 */
export async function runCordisImport(
  driver: Driver,
  database: string,
  location: string,
  options: RunCordisImportOptions,
  log: Logger,
): Promise<CordisImportReport> {
  const source = await openCordisSource(location, options.displayRoot);
  try {
    if (options.dryRun) {
      return await importCordis(source, undefined, options);
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
      ...options,
      onProgress: (progress: Parameters<NonNullable<RunCordisImportOptions["onProgress"]>>[0]) => {
        rowsByFile.set(progress.file, progress.rows);
        options.onProgress?.(progress);
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
      const report = await importCordis(source, tx, tracked);
      if (options.strict && report.rejected.length) {
        await tx.rollback();
        throw new InputValidationError(report.rejected);
      }
      // Topic lenses (issue 18): the lenses applied before classify the imported projects too.
      await applyLenses(tx, await storedLenses(tx));
      await tx.commit();
      return report;
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
