import { createHash } from "node:crypto";
import { ProgrammeKind } from "../../generated/graphql.js";
import { DERIVED_LINK_METHODS } from "../../model/derived-links.js";
import { REL } from "../../model/relationships.js";
import type { WriteTransaction } from "../graph-writer.js";
import type { ExportedProject } from "./import-cordis.js";

/**
 * Mirror semantics of a CORDIS import (issue 16.1): for every project an export contains, the graph
 * afterwards holds what the export says. MERGE adds and overwrites; this module takes away what the
 * export no longer says, and measures what changed by comparing the projects before and after.
 *
 * What the importer owns, and may therefore remove:
 * - PARTICIPATES_IN from an organisation of the importer's namespace (id `org:<cordisId>`);
 * - ADDRESSES to a topic SOURCED_FROM the project's CORDIS Source;
 * - FUNDED_UNDER to a call (Programme of kind EU_CALL) SOURCED_FROM the project's CORDIS Source.
 * Curated relationships (seed or mutations: other organisations, topics, sources) are never touched.
 */

const BATCH = 2000;

function batches<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One project as the graph holds it; the fields are digested so that a snapshot stays small. */
export interface ProjectSnapshot {
  /** sha1 over labels and properties. */
  fields: string;
  /** `org|order` -> `role|contribution|netContribution|totalCost` (all participations, curated too). */
  participations: Map<string, string>;
  topics: string;
  programmes: string;
}

/** A change of one record, for `--changes`: a project, or a participation `project <- org (order n)`. */
export interface RecordChange {
  change:
    | "PROJECT_ADDED"
    | "PROJECT_UPDATED"
    | "PROJECT_REMOVED"
    | "PARTICIPATION_ADDED"
    | "PARTICIPATION_REMOVED"
    | "PARTICIPATION_CHANGED";
  id: string;
  detail?: string;
}

export interface ChangeCounts {
  projectsAdded: number;
  projectsUpdated: number;
  projectsRemoved: number;
  participationsAdded: number;
  participationsRemoved: number;
  participationsChanged: number;
}

/** Neo4j values (Integer, Date, DateTime) as their text, numbers as numbers, maps with sorted keys. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if (typeof (v as { toString?: unknown }).toString === "function" && v.constructor !== Object)
        return String(v);
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return v;
  });
}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

/**
 * Reads the given projects as they are now, in the transaction: fields, participations (all, by
 * organisation and order), topics and programmes. Ids that are no project are left out. With
 * `participationsOnly` (projects added by the import: nothing to compare their fields with), the
 * fields, topics and programmes are left empty.
 */
export async function snapshotProjects(
  tx: WriteTransaction,
  ids: Iterable<string>,
  { participationsOnly = false } = {},
): Promise<Map<string, ProjectSnapshot>> {
  const snapshots = new Map<string, ProjectSnapshot>();
  const rest = participationsOnly
    ? "[] AS labels, {} AS properties, [] AS topics, [] AS programmes"
    : `labels(p) AS labels, properties(p) AS properties,
         [(p)-[:${REL.ADDRESSES}]->(t) | t.id] AS topics,
         [(p)-[:${REL.FUNDED_UNDER}]->(g) | g.id] AS programmes`;
  for (const batch of batches([...ids], participationsOnly ? 10 * BATCH : BATCH)) {
    const result = await tx.run(
      `UNWIND $ids AS id
       MATCH (p:Entity {id: id}) WHERE p:Project OR p:CoordinationAction
       RETURN p.id AS id,
         [(o:Organisation)-[r:${REL.PARTICIPATES_IN}]->(p) | [o.id, r.order, r.role, r.contribution, r.netContribution, r.totalCost]] AS participations,
         ${rest}`,
      { ids: batch },
    );
    for (const record of result.records) {
      const participations = new Map<string, string>();
      for (const [org, order, role, contribution, net, cost] of record.get("participations") as unknown[][]) {
        const key = `${text(org)}|${text(order)}`;
        const value = [role, contribution, net, cost].map(text).join("|");
        // Two participations of one organisation with one order (different roles) are one entry.
        const earlier = participations.get(key);
        participations.set(key, earlier === undefined ? value : [earlier, value].sort().join(" + "));
      }
      snapshots.set(record.get("id") as string, {
        fields: participationsOnly
          ? ""
          : createHash("sha1")
              .update(stable([[...(record.get("labels") as string[])].sort(), record.get("properties")]))
              .digest("hex"),
        participations,
        topics: [...(record.get("topics") as string[])].sort().join(","),
        programmes: [...(record.get("programmes") as string[])].sort().join(","),
      });
    }
  }
  return snapshots;
}

function describeParticipation(before: string, after: string): string {
  const [roleBefore, ...amountsBefore] = before.split("|");
  const [roleAfter, ...amountsAfter] = after.split("|");
  const names = ["contribution", "netContribution", "totalCost"];
  const parts = roleBefore !== roleAfter ? [`role ${roleBefore} -> ${roleAfter}`] : [];
  names.forEach((name, i) => {
    if (amountsBefore[i] !== amountsAfter[i])
      parts.push(`${name} ${amountsBefore[i] || "null"} -> ${amountsAfter[i] || "null"}`);
  });
  return parts.join("; ") || `${before} -> ${after}`;
}

/** The counts of an import that changed nothing (yet): every field 0. */
export function noChanges(): ChangeCounts {
  return {
    projectsAdded: 0,
    projectsUpdated: 0,
    projectsRemoved: 0,
    participationsAdded: 0,
    participationsRemoved: 0,
    participationsChanged: 0,
  };
}

/**
 * What changed between two snapshots of the same projects. A participation is identified by its
 * project, organisation and order: a changed role or amount is PARTICIPATION_CHANGED. A project is
 * updated when its fields, participations, topics or programmes differ.
 */
export function diffSnapshots(
  before: Map<string, ProjectSnapshot>,
  after: Map<string, ProjectSnapshot>,
): { counts: ChangeCounts; changes: RecordChange[] } {
  const counts = noChanges();
  const changes: RecordChange[] = [];
  const participationId = (project: string, key: string) => {
    const [org, order] = key.split("|");
    return `${project} <- ${org}${order ? ` (order ${order})` : ""}`;
  };
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const id of ids) {
    const was = before.get(id);
    const is = after.get(id);
    const partsBefore = was?.participations ?? new Map<string, string>();
    const partsAfter = is?.participations ?? new Map<string, string>();
    for (const [key, value] of partsAfter) {
      const old = partsBefore.get(key);
      if (old === undefined) {
        counts.participationsAdded++;
        changes.push({ change: "PARTICIPATION_ADDED", id: participationId(id, key), detail: value });
      } else if (old !== value) {
        counts.participationsChanged++;
        changes.push({
          change: "PARTICIPATION_CHANGED",
          id: participationId(id, key),
          detail: describeParticipation(old, value),
        });
      }
    }
    for (const [key, value] of partsBefore) {
      if (partsAfter.has(key)) continue;
      counts.participationsRemoved++;
      changes.push({ change: "PARTICIPATION_REMOVED", id: participationId(id, key), detail: value });
    }
    if (!was && is) {
      counts.projectsAdded++;
      changes.push({ change: "PROJECT_ADDED", id });
    } else if (was && !is) {
      counts.projectsRemoved++;
      changes.push({ change: "PROJECT_REMOVED", id });
    } else if (was && is) {
      const what = [
        was.fields !== is.fields ? "fields" : "",
        [...partsAfter].some(([k, v]) => partsBefore.get(k) !== v) || partsBefore.size !== partsAfter.size
          ? "participations"
          : "",
        was.topics !== is.topics ? "topics" : "",
        was.programmes !== is.programmes ? "programmes" : "",
      ].filter(Boolean);
      if (what.length) {
        counts.projectsUpdated++;
        changes.push({ change: "PROJECT_UPDATED", id, detail: what.join(", ") });
      }
    }
  }
  return { counts, changes };
}

/**
 * The statements of removeUnlisted, each over `$projects`: `{id, source, participations, topics,
 * programme}` rows (participations as `orgId|role|order` keys). Each seeks the row's project, expands
 * from it in a subquery, and tests the far node's label with `labels()`, which no index or label scan
 * can serve, so that the only plan is the expansion (a WITH in between does not stop the planner from
 * moving a label test onto the far node). Written as one pattern, the planner chose per row a scan of every
 * organisation or topic, a seek of every EU call by `kind`, or a seek of the one Source expanded to every
 * call and project of the export: rows x graph (at 200,000 projects one statement ran for more than 15
 * minutes). Plans made while the store is empty (an import's first batch) have no statistics to stop
 * such choices. test/import-plans.test.ts checks the plans on an empty store and profiles them on a
 * loaded one.
 */
export const UNLISTED_REMOVALS = [
  `UNWIND $projects AS p
   MATCH (n:Entity {id: p.id})
   CALL (n, p) {
     MATCH (o)-[r:${REL.PARTICIPATES_IN}]->(n)
     WHERE 'Organisation' IN labels(o) AND o.cordisId IS NOT NULL AND o.id = 'org:' + o.cordisId
       AND NOT (o.id + '|' + r.role + '|' + toString(r.order)) IN p.participations
     DELETE r
   }`,
  `UNWIND $projects AS p
   MATCH (n:Entity {id: p.id})
   CALL (n, p) {
     MATCH (n)-[r:${REL.ADDRESSES}]->(t)
     WHERE 'Topic' IN labels(t) AND NOT t.id IN p.topics AND EXISTS { (t)-[:${REL.SOURCED_FROM}]->(:Source {id: p.source}) }
     DELETE r
   }`,
  `UNWIND $projects AS p
   MATCH (n:Entity {id: p.id})
   CALL (n, p) {
     MATCH (n)-[r:${REL.FUNDED_UNDER}]->(g)
     WHERE 'Programme' IN labels(g) AND g.kind = '${ProgrammeKind.EuCall}' AND g.id <> p.programme
       AND EXISTS { (g)-[:${REL.SOURCED_FROM}]->(:Source {id: p.source}) }
     DELETE r
   }`,
] as const;

/**
 * Removes what the export no longer says about the projects it contains: participations, topics and
 * calls that the importer owns (see above) and the export does not list. Runs after the export has
 * been written, in the same transaction (UNLISTED_REMOVALS).
 */
export async function removeUnlisted(
  tx: WriteTransaction,
  exported: Map<string, ExportedProject>,
): Promise<void> {
  const projects = [...exported].map(([id, project]) => ({
    id,
    source: project.source,
    participations: [...project.participations],
    topics: [...project.topics],
    programme: project.programme,
  }));
  for (const batch of batches(projects)) {
    for (const statement of UNLISTED_REMOVALS) await tx.run(statement, { projects: batch });
  }
}

/**
 * The projects of the given CORDIS Sources that the graph holds but the export no longer lists. Only
 * meaningful for an unfiltered export (a filtered one lists only what it kept).
 */
export async function unlistedProjects(
  tx: WriteTransaction,
  sourceIds: Iterable<string>,
  listed: Set<string>,
): Promise<string[]> {
  const result = await tx.run(
    `MATCH (p:Project)-[:${REL.SOURCED_FROM}]->(s:Source) WHERE s.id IN $sources
     RETURN DISTINCT p.id AS id ORDER BY id`,
    { sources: [...sourceIds] },
  );
  return result.records.map((r) => r.get("id") as string).filter((id) => !listed.has(id));
}

/**
 * Removes unlisted projects (`--prune`) with the relationships the importer owns: participations of
 * CORDIS organisations (or, with `participantIdPrefix`, of organisations whose id starts with it),
 * topics and programmes of `sourceIds`, their SOURCED_FROM, and derived lens links (ADDRESSES with
 * method RULE, re-derived at the end of every load). A project that curated data refers to (any other
 * relationship: a curated participation, a SUPPORTS, a Source not in `sourceIds`) is kept and returned
 * in `kept`, so that pruning never touches curated data.
 */
export async function pruneProjects(
  tx: WriteTransaction,
  ids: string[],
  sourceIds: Iterable<string>,
  participantIdPrefix?: string,
): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const batch of batches(ids)) {
    const result = await tx.run(
      `UNWIND $ids AS id
       MATCH (p:Entity {id: id})
       WITH p, [(p)-[r]-(x) WHERE NOT (
           (type(r) = '${REL.PARTICIPATES_IN}' AND x.cordisId IS NOT NULL AND x.id = 'org:' + x.cordisId)
           OR (type(r) = '${REL.PARTICIPATES_IN}' AND $prefix IS NOT NULL AND x.id STARTS WITH $prefix)
           OR (type(r) = '${REL.ADDRESSES}' AND r.method IN $derivedMethods)
           OR (type(r) IN ['${REL.ADDRESSES}', '${REL.FUNDED_UNDER}'] AND EXISTS { (x)-[:${REL.SOURCED_FROM}]->(s:Source) WHERE s.id IN $sources })
           OR (type(r) = '${REL.SOURCED_FROM}' AND x.id IN $sources)
         ) | r] AS curated
       RETURN p.id AS id, size(curated) = 0 AS removable`,
      {
        ids: batch,
        sources: [...sourceIds],
        prefix: participantIdPrefix ?? null,
        derivedMethods: DERIVED_LINK_METHODS,
      },
    );
    const removable = result.records.filter((r) => r.get("removable")).map((r) => r.get("id") as string);
    kept.push(...result.records.filter((r) => !r.get("removable")).map((r) => r.get("id") as string));
    await tx.run("UNWIND $ids AS id MATCH (p:Entity {id: id}) DETACH DELETE p", { ids: removable });
    removed.push(...removable);
  }
  return { removed, kept };
}
