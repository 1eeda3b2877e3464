import { randomUUID } from "node:crypto";
import neo4j from "neo4j-driver";
import { REL } from "../model/relationships.js";
import type { ChangeCounts } from "./cordis/mirror.js";
import type { WriteTransaction } from "./graph-writer.js";

/**
 * An ImportRun node (issue 16): what one seed or import read and changed, written in the same
 * transaction as the data, so that it exists exactly when the data it describes was committed (a
 * failed or interrupted run rolls back and leaves no run; a dry run writes none). Its files are
 * ImportFile nodes, (run)-[:READ_FILE]->(file), with the sha256 of their bytes.
 */
export interface ImportRunRecord extends ChangeCounts {
  id: string;
  /** "seed", or the CORDIS Source ids the import wrote (comma-separated, e.g. source:cordis-horizon-projects). */
  source: string;
  /** The folder or zip read, as given (relative to the working directory where possible). */
  location: string;
  startedAt: Date;
  finishedAt: Date;
  /** SUCCEEDED: a run that is in the graph committed (see above). */
  status: "SUCCEEDED";
  /** rows: the records of a CSV file; null for a file that is not row-based (YAML). */
  files: { file: string; sha256: string; rows: number | null }[];
  rowsRead: number;
  rowsRejected: number;
  /** Projects that an unfiltered export no longer lists and that were not pruned. */
  projectsUnlisted: number;
}

/** A fresh run id: `importrun:<startedAt as ISO>-<8 hex>`, sortable by time and unique. */
export function newImportRunId(startedAt: Date): string {
  return `importrun:${startedAt.toISOString()}-${randomUUID().slice(0, 8)}`;
}

const INTEGER_FIELDS = [
  "rowsRead",
  "rowsRejected",
  "projectsAdded",
  "projectsUpdated",
  "projectsRemoved",
  "projectsUnlisted",
  "participationsAdded",
  "participationsRemoved",
  "participationsChanged",
] as const;

/** Writes the run and its files in the given transaction. */
export async function writeImportRun(tx: WriteTransaction, run: ImportRunRecord): Promise<void> {
  const properties: Record<string, unknown> = {
    source: run.source,
    location: run.location,
    status: run.status,
    startedAt: neo4j.types.DateTime.fromStandardDate(run.startedAt),
    finishedAt: neo4j.types.DateTime.fromStandardDate(run.finishedAt),
  };
  for (const field of INTEGER_FIELDS) properties[field] = neo4j.int(run[field]);
  await tx.run(
    `CREATE (r:ImportRun:Entity {id: $id}) SET r += $properties
     WITH r
     UNWIND range(0, size($files) - 1) AS i
     WITH r, i, $files[i] AS f
     CREATE (file:ImportFile:Entity {id: $id + '/file-' + toString(i + 1), path: f.file, sha256: f.sha256, rows: f.rows})
     CREATE (r)-[:${REL.READ_FILE}]->(file)`,
    {
      id: run.id,
      properties,
      files: run.files.map((f) => ({ ...f, rows: f.rows === null ? null : neo4j.int(f.rows) })),
    },
  );
}
