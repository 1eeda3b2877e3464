import type { WriteCounts, WriteTransaction } from "../graph-writer.js";
import type { CordisSource } from "./cordis-source.js";
import { type CordisImportOptions, type CordisImportReport, importCordis } from "./import-cordis.js";
import {
  type ChangeCounts,
  diffSnapshots,
  pruneProjects,
  type RecordChange,
  removeUnlisted,
  snapshotProjects,
  unlistedProjects,
} from "./mirror.js";

export interface MirroredImportOptions extends CordisImportOptions {
  /** Remove the projects of the export's Sources that it no longer lists (an unfiltered export only). */
  prune: boolean;
}

export interface MirroredImport {
  report: CordisImportReport;
  counts: ChangeCounts;
  /** Every record changed, for `--changes`. */
  changes: RecordChange[];
  /** Projects of the export's Sources that the graph holds and the (unfiltered) export no longer lists. */
  unlisted: string[];
  /** Of those, the ones removed (with --prune) and the ones kept because curated data refers to them. */
  pruned: string[];
  keptCurated: string[];
}

/**
 * Writes a CORDIS export through `tx` with mirror semantics (see mirror.ts) and measures what changed.
 * `check` is a dry run of the same export (importCordis without a transaction): it names the projects
 * to compare before anything is written. A filtered export (--match, --topics) lists only what it
 * kept, so it never calls other projects unlisted.
 */
export async function importCordisMirrored(
  source: CordisSource,
  tx: WriteTransaction,
  options: MirroredImportOptions,
  check: CordisImportReport,
): Promise<MirroredImport> {
  return mirrored(tx, options, check, async () => ({ report: await importCordis(source, tx, options) }));
}

/**
 * Publishes a staged CORDIS export in `tx` with the same mirror semantics as importCordisMirrored:
 * `staged` is the report of its write pass (cordis-staging.ts StagingWriter), `publish` makes the
 * staging visible in `tx` and returns what Neo4j created; the report's created and updated counts
 * are those of the publish.
 */
export async function publishCordisMirrored(
  tx: WriteTransaction,
  options: MirroredImportOptions,
  staged: CordisImportReport,
  publish: (tx: WriteTransaction) => Promise<WriteCounts & { fresh: ReadonlySet<string> }>,
): Promise<MirroredImport> {
  return mirrored(tx, options, staged, async () => {
    const counts = await publish(tx);
    const report = {
      ...staged,
      nodesCreated: counts.nodesCreated,
      nodesUpdated: staged.distinctNodes - counts.nodesCreated,
      relationshipsCreated: counts.relationshipsCreated,
      relationshipsUpdated: staged.relationshipsWritten - counts.relationshipsCreated,
    };
    return { report, fresh: counts.fresh };
  });
}

/**
 * Mirror semantics around `write`: unlisted projects, snapshots before and after, removals, prune.
 * `write` may name the `fresh` nodes: ids that no node had before it, written from one row of the
 * export. Such a project holds only what the export says (nothing to remove), and only its
 * participations are read after (an added project's fields, topics and programmes are compared with
 * nothing).
 */
async function mirrored(
  tx: WriteTransaction,
  options: MirroredImportOptions,
  check: CordisImportReport,
  write: () => Promise<{ report: CordisImportReport; fresh?: ReadonlySet<string> }>,
): Promise<MirroredImport> {
  const filtered = Boolean(options.match || options.topicPrefixes?.length);
  const unlisted = filtered ? [] : await unlistedProjects(tx, check.sourceIds, check.listedProjectIds);
  const compared = [...check.projectIds, ...(options.prune ? unlisted : [])];
  const before = await snapshotProjects(tx, compared);
  const { report, fresh = new Set<string>() } = await write();
  const isFresh = (id: string) => fresh.has(id) && !before.has(id);
  await removeUnlisted(tx, new Map([...report.exported].filter(([id]) => !isFresh(id))));
  const { removed, kept } = options.prune
    ? await pruneProjects(tx, unlisted, report.sourceIds)
    : { removed: [], kept: [] };
  const ids = [...report.projectIds, ...(options.prune ? unlisted : [])];
  const after = new Map([
    ...(await snapshotProjects(
      tx,
      ids.filter((id) => !isFresh(id)),
    )),
    ...(await snapshotProjects(tx, ids.filter(isFresh), { participationsOnly: true })),
  ]);
  const { counts, changes } = diffSnapshots(before, after);
  return { report, counts, changes, unlisted, pruned: removed, keptCurated: kept };
}
