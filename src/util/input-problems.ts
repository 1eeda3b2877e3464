/** A problem found in input, located so that a user can open the file at the line and fix it. */
export interface InputProblem {
  file: string;
  line: number | undefined;
  field: string;
  reason: string;
}

/** `file:line: field: reason` (`file: field: reason` when the line is unknown), as the CLI prints problems. */
export function formatProblem(problem: InputProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.field}: ${problem.reason}`;
}

/** Thrown before anything is written: the graph is unchanged. */
export class InputValidationError extends Error {
  constructor(readonly problems: InputProblem[]) {
    const shown = problems.slice(0, 50).map(formatProblem);
    const more = problems.length > 50 ? [`… and ${problems.length - 50} more`] : [];
    super(
      `${problems.length} problem(s) in the input; nothing was written:\n${[...shown, ...more].join("\n")}`,
    );
    this.name = "InputValidationError";
  }
}

/**
 * Neo4j refused the import's transaction more memory (dbms.memory.transaction.total.max, or
 * db.memory.transaction.max): it rolled back, so the graph is unchanged.
 */
export class ImportTooLargeError extends Error {
  constructor(
    readonly rowsRead: number,
    cause: unknown,
  ) {
    super(
      `The import did not fit into one Neo4j transaction (${(cause as Error).message.split(". ")[0]}) after ${rowsRead} rows; ` +
        "it was rolled back and nothing was written. Give Neo4j more memory for transactions: for the embedded " +
        "Neo4j raise ATLAS_NEO4J_HEAP (transactions get 70% of it, and the publish holds every node the export adds with its " +
        "index entries: 1g took all of Horizon Europe, 19,189 projects; 4g did not take 200,000), on a server raise " +
        "dbms.memory.transaction.total.max and db.memory.transaction.max; or import a subset (--topics, --match).",
      { cause },
    );
    this.name = "ImportTooLargeError";
  }
}

/** The caller aborted the import (its AbortSignal): the transaction was rolled back, nothing was written. */
export class ImportInterruptedError extends Error {
  constructor() {
    super("The import was interrupted; it was rolled back and nothing was written.");
    this.name = "ImportInterruptedError";
  }
}

/** Whether Neo4j refused a transaction more memory (MemoryPoolOutOfMemoryError): the import was too large. */
export function isTransactionMemoryError(error: unknown): boolean {
  return (
    (error as { code?: string } | undefined)?.code === "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
  );
}

/**
 * A file refused as a whole, before anything was written: not what a CORDIS CSV is (encoding,
 * delimiter, a compression bomb), or over a limit (file, row or field size). One problem, one line.
 */
export class FileRefusedError extends InputValidationError {
  constructor(readonly problem: InputProblem) {
    super([problem]);
    this.message = `${formatProblem(problem)}; nothing was written`;
    this.name = "FileRefusedError";
  }
}

/** An import whose project file held no valid row: refused, so that it writes no ImportRun and no new data version. */
export class NoValidRowsError extends InputValidationError {
  constructor(file: string, rowsRead: number, rejected: InputProblem[]) {
    super(rejected);
    const shown = rejected.slice(0, 10).map(formatProblem);
    const more = rejected.length > 10 ? [`… and ${rejected.length - 10} more`] : [];
    this.message = [
      `${file}: no valid row (${rowsRead} read, ${rejected.length} rejected in all files); nothing was written`,
      ...shown,
      ...more,
    ].join("\n");
    this.name = "NoValidRowsError";
  }
}
