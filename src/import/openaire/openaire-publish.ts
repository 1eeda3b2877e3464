import { REL } from "../../model/relationships.js";
import {
  type ChangeCounts,
  diffSnapshots,
  noChanges,
  pruneProjects,
  type RecordChange,
  snapshotProjects,
  unlistedProjects,
} from "../cordis/mirror.js";
import { mergeRelationships, type WriteTransaction } from "../graph-writer.js";
import { OPENAIRE_SOURCE } from "./openaire-graph-rows.js";
import { liveProperties, STAGED_LABEL, STAGING_PROPERTIES } from "./openaire-staging.js";

/** Staged projects published per round of the publish transaction (bounds each query, not the transaction). */
const PUBLISH_CHUNK = 5000;

/** The OpenAIRE links of one project: programmes, and participants (null: the import has no relation files). */
export interface ProjectLinks {
  id: string;
  programmes: string[];
  participants: string[] | null;
  /** The project was live before this publish, so it may hold OpenAIRE links the dump no longer gives. */
  wasLive: boolean;
}

/**
 * Writes the OpenAIRE links of projects with mirror semantics: afterwards each project is SOURCED_FROM
 * the OpenAIRE Source, FUNDED_UNDER exactly the programmes (of that Source) listed and, where
 * `participants` is given, has exactly the OpenAIRE participations listed (role "participant").
 * Curated links are never touched. Every id must exist (mergeRelationships fails loudly otherwise).
 * The removals seek each row's project and expand from it before testing the far node by `labels()`,
 * as the CORDIS importer's UNLISTED_REMOVALS do: a single pattern let the planner scan or seek the far
 * nodes once per row (rows x graph), above all in plans made on an empty store.
 */
export async function writeProjectLinks(tx: WriteTransaction, links: ProjectLinks[]): Promise<void> {
  await mergeRelationships(
    tx,
    REL.SOURCED_FROM,
    links.map((p) => ({ from: p.id, to: OPENAIRE_SOURCE })),
  );
  await mergeRelationships(
    tx,
    REL.FUNDED_UNDER,
    links.flatMap((p) => p.programmes.map((to) => ({ from: p.id, to }))),
  );
  // A project made live by this publish has only the links just merged: nothing to remove.
  const live = links.filter((p) => p.wasLive);
  if (live.length)
    await tx.run(
      `UNWIND $rows AS row
     MATCH (n:Entity {id: row.id})
     CALL (n, row) {
       MATCH (n)-[r:${REL.FUNDED_UNDER}]->(g)
       WHERE 'Programme' IN labels(g) AND NOT g.id IN row.programmes AND EXISTS { (g)-[:${REL.SOURCED_FROM}]->(:Source {id: $source}) }
       DELETE r
     }`,
      { rows: live, source: OPENAIRE_SOURCE },
    );
  const withParticipants = links.filter((p) => p.participants !== null);
  if (!withParticipants.length) return;
  await mergeRelationships(
    tx,
    REL.PARTICIPATES_IN,
    withParticipants.flatMap((p) =>
      p.participants!.map((org) => ({ from: org, to: p.id, properties: { role: "participant" } })),
    ),
  );
  const liveWithParticipants = withParticipants.filter((p) => p.wasLive);
  if (liveWithParticipants.length)
    await tx.run(
      `UNWIND $rows AS row
     MATCH (n:Entity {id: row.id})
     CALL (n, row) {
       MATCH (o)-[r:${REL.PARTICIPATES_IN}]->(n)
       WHERE 'Organisation' IN labels(o) AND o.id STARTS WITH 'openaire-org:' AND NOT o.id IN row.participants
       DELETE r
     }`,
      { rows: liveWithParticipants },
    );
}

interface StagedRow {
  elementId: string;
  id: string;
  live: boolean;
  properties: Record<string, unknown>;
}

/**
 * Publishes the staged projects of `runId` in `tx` (the one publish transaction), 5,000 per round:
 * a project without a live twin is relabelled in place (`Entity:Project`, `id` =
 * `stagedId`, staging properties removed), one with a twin copies its properties onto it (properties
 * the record leaves empty are removed) and the staged node is deleted; then every one gets its
 * OpenAIRE links (writeProjectLinks; `hasRelations` false leaves participations alone). Funders,
 * programmes, organisations and the Source must already be written in `tx`. The change counts are
 * measured as the CORDIS importer measures them: snapshots of the live projects before and after.
 */
export async function publishStaged(
  tx: WriteTransaction,
  runId: string,
  hasRelations: boolean,
): Promise<{ counts: ChangeCounts; changes: RecordChange[]; published: number }> {
  const counts = noChanges();
  const changes: RecordChange[] = [];
  // The staged nodes' element ids first, then chunk by chunk by id: a label scan per chunk would pass
  // over the nodes already published in this transaction again each time (quadratic in the staging).
  const all = await tx.run(`MATCH (s:${STAGED_LABEL} {runId: $run}) RETURN elementId(s) AS eid`, {
    run: runId,
  });
  const elementIds = all.records.map((r) => r.get("eid") as string);
  let published = 0;
  for (let start = 0; start < elementIds.length; start += PUBLISH_CHUNK) {
    const result = await tx.run(
      `UNWIND $ids AS eid
       MATCH (s:${STAGED_LABEL}) WHERE elementId(s) = eid
       OPTIONAL MATCH (live:Entity {id: s.stagedId})
       RETURN eid, s.stagedId AS id, live IS NOT NULL AS live, properties(s) AS properties`,
      { ids: elementIds.slice(start, start + PUBLISH_CHUNK) },
    );
    const rows: StagedRow[] = result.records.map((r) => ({
      elementId: r.get("eid") as string,
      id: r.get("id") as string,
      live: r.get("live") as boolean,
      properties: r.get("properties") as Record<string, unknown>,
    }));
    const ids = rows.map((r) => r.id);
    // A project that was not live has no snapshot before; only the live ones are read.
    const before = await snapshotProjects(
      tx,
      rows.filter((r) => r.live).map((r) => r.id),
    );
    const fresh = rows.filter((r) => !r.live);
    const updated = rows.filter((r) => r.live);
    if (fresh.length)
      await tx.run(
        `UNWIND $ids AS eid
       MATCH (s:${STAGED_LABEL}) WHERE elementId(s) = eid
       SET s:Entity:Project, s.id = s.stagedId
       REMOVE s:${STAGED_LABEL}, ${STAGING_PROPERTIES.map((p) => `s.${p}`).join(", ")}`,
        { ids: fresh.map((r) => r.elementId) },
      );
    if (updated.length)
      await tx.run(
        `UNWIND $rows AS row
       MATCH (s:${STAGED_LABEL}) WHERE elementId(s) = row.elementId
       MATCH (live:Entity {id: row.id})
       SET live:Project SET live += row.properties
       DELETE s`,
        {
          rows: updated.map((r) => ({
            elementId: r.elementId,
            id: r.id,
            properties: liveProperties(r.properties),
          })),
        },
      );
    await writeProjectLinks(
      tx,
      rows.map((r) => ({
        id: r.id,
        programmes: (r.properties.stagedProgrammes as string[] | undefined) ?? [],
        participants: hasRelations ? ((r.properties.stagedParticipants as string[] | undefined) ?? []) : null,
        wasLive: r.live,
      })),
    );
    const diff = diffSnapshots(before, await snapshotProjects(tx, ids));
    for (const key of Object.keys(counts) as (keyof ChangeCounts)[]) counts[key] += diff.counts[key];
    changes.push(...diff.changes);
    published += rows.length;
  }
  return { counts, changes, published };
}

/**
 * The OpenAIRE projects in the graph that an unfiltered dump no longer lists (`listed`: every project
 * id it names), and with `prune` their removal (cordis/mirror.ts `pruneProjects`, owning the
 * participations of `openaire-org:` organisations): a project that curated data refers to is kept and
 * listed in `kept`. `counts` and `changes` say what the removal changed (projectsRemoved, ...).
 */
export async function pruneUnlistedOpenAire(
  tx: WriteTransaction,
  listed: ReadonlySet<string>,
  prune: boolean,
): Promise<{
  unlisted: string[];
  removed: string[];
  kept: string[];
  counts: ChangeCounts;
  changes: RecordChange[];
}> {
  const unlisted = await unlistedProjects(tx, [OPENAIRE_SOURCE], new Set(listed));
  if (!prune || !unlisted.length)
    return { unlisted, removed: [], kept: [], counts: noChanges(), changes: [] };
  const before = await snapshotProjects(tx, unlisted);
  const { removed, kept } = await pruneProjects(tx, unlisted, [OPENAIRE_SOURCE], "openaire-org:");
  const { counts, changes } = diffSnapshots(before, await snapshotProjects(tx, unlisted));
  return { unlisted, removed, kept, counts, changes };
}
