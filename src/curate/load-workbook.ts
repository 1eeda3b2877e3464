import neo4j, { type Driver } from "neo4j-driver";
import { bumpDataVersion } from "../db/data-version.js";
import { syncDerivedProperties } from "../db/derived-properties.js";
import type { ChangeCounts } from "../import/cordis/mirror.js";
import {
  mergeNodes,
  mergeRelationships,
  type NodeRow,
  type WriteTransaction,
} from "../import/graph-writer.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import/import-run.js";
import { DERIVED_LINK_METHODS } from "../model/derived-links.js";
import { REL, type RelationshipType } from "../model/relationships.js";
import { runsOf, TimeSlicer } from "../util/time-slices.js";
import type { CurationMatch, CurationPlan, PlannedNode } from "./plan-workbook.js";
import { planWorkbook } from "./plan-workbook.js";
import { readWorkbookOffThread, WorkbookRefusedError } from "./read-workbook.js";
import type { ReadWorkbook } from "./workbook-shapes.js";

/**
 * Mirror semantics of a curation workbook, as for a CORDIS export: afterwards the graph holds what the
 * workbook states, and nothing that an earlier version of it stated and this one no longer does. What a
 * workbook owns carries `curatedBy: <its Source id>` (nodes it created, relationships it wrote, its
 * SOURCED_FROM links); a load compares that with its plan and changes only the difference. What other
 * sources wrote (the seed, imports, other workbooks) is never changed or removed: a row that states
 * something they already recorded is reported as recorded, and a node that other data refers to is kept
 * when the row that created it goes (its ownership is dropped).
 */

export interface CurationChange {
  change: "ADDED" | "CHANGED" | "REMOVED" | "KEPT";
  /** `funder:nkfih`, or a relationship `MEMBER_OF funder:x -> consortium:y`. */
  record: string;
  sheet?: string;
  row?: number;
  detail?: string;
}

export interface CurationReport {
  status: "REFUSED" | "CHECKED" | "LOADED" | "UNCHANGED";
  file: string;
  sha256: string;
  source: string;
  rowsRead: number;
  problems: string[];
  matches: CurationMatch[];
  alreadyRecorded: CurationPlan["alreadyRecorded"];
  changes: CurationChange[];
  counts: { added: number; changed: number; removed: number; kept: number; matched: number };
  /** The ImportRun written by a load that changed something. */
  importRun?: string;
}

/** The transaction settings of the HTTP request that checks or loads (its timeout and metadata). */
type TransactionConfig = { timeout?: number; metadata?: Record<string, unknown> };

/** A value as compared: Neo4j integers and dates as their text, absent and null alike. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (neo4j.isInt(value)) return String((value as { toNumber(): number }).toNumber());
  if (typeof value === "object" && !Array.isArray(value)) return String(value);
  return JSON.stringify(value);
}

const relKey = (r: { type: string; from: string; to: string }) => `${r.type} ${r.from} -> ${r.to}`;

interface OwnedState {
  nodes: Map<string, { labels: string[]; properties: Record<string, unknown> }>;
  relationships: Map<string, { elementId: string; properties: Record<string, unknown> }>;
}

/** What the workbook's source owns in the graph now; the maps are built with turns of the event loop. */
async function ownedState(tx: WriteTransaction, sourceId: string, slicer: TimeSlicer): Promise<OwnedState> {
  const nodes = await tx.run(
    "MATCH (n:Entity) WHERE n.curatedBy = $source RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties",
    { source: sourceId },
  );
  const rels = await tx.run(
    `MATCH (a:Entity)-[r:${REL.MEMBER_OF}|${REL.RUN_BY}|${REL.FUNDED_BY}|${REL.FUNDED_UNDER}|${REL.LOCATED_IN}|${REL.BASED_IN}|${REL.PARTICIPATES_IN}|${REL.ABOUT}]->(b:Entity)
     WHERE r.curatedBy = $source
     RETURN type(r) AS type, a.id AS from, b.id AS to, elementId(r) AS elementId, properties(r) AS properties
     UNION ALL
     MATCH (a:Entity)-[r:${REL.SOURCED_FROM}]->(b:Source {id: $source}) WHERE r.curatedBy = $source
     RETURN type(r) AS type, a.id AS from, b.id AS to, elementId(r) AS elementId, properties(r) AS properties`,
    { source: sourceId },
  );
  const state: OwnedState = { nodes: new Map(), relationships: new Map() };
  for (const r of nodes.records) {
    state.nodes.set(r.get("id") as string, {
      labels: r.get("labels") as string[],
      properties: r.get("properties") as Record<string, unknown>,
    });
    await slicer.pause();
  }
  for (const r of rels.records) {
    state.relationships.set(relKey({ type: r.get("type"), from: r.get("from"), to: r.get("to") }), {
      elementId: r.get("elementId") as string,
      properties: r.get("properties") as Record<string, unknown>,
    });
    await slicer.pause();
  }
  return state;
}

/** The keys whose values differ: every key the plan manages (a null in the plan removes a property). */
function changedKeys(planned: Record<string, unknown>, stored: Record<string, unknown>): string[] {
  return Object.keys(planned).filter((key) => canonical(planned[key]) !== canonical(stored[key]));
}

interface Diff {
  changes: CurationChange[];
  sourceChanged: boolean;
  removedNodes: string[];
  removedRelationships: string[];
}

/** The changes from what the graph holds to the plan; turns of the event loop between records. */
async function diff(plan: CurationPlan, state: OwnedState, slicer: TimeSlicer): Promise<Diff> {
  const changes: CurationChange[] = [];
  const owned = plan.nodes.filter((n) => n.owned);
  for (const node of owned) {
    await slicer.pause();
    const stored = state.nodes.get(node.id);
    if (!stored) changes.push({ change: "ADDED", record: node.id, sheet: node.sheet, row: node.row });
    else {
      const keys = changedKeys(node.properties, stored.properties);
      if (keys.length)
        changes.push({
          change: "CHANGED",
          record: node.id,
          sheet: node.sheet,
          row: node.row,
          detail: keys.join(", "),
        });
    }
  }
  const plannedIds = new Set([...owned.map((n) => n.id), plan.sourceId]);
  const removedNodes = [...state.nodes.keys()].filter((id) => !plannedIds.has(id)).sort();
  for (const rel of plan.relationships) {
    await slicer.pause();
    const stored = state.relationships.get(relKey(rel));
    if (!stored) changes.push({ change: "ADDED", record: relKey(rel), sheet: rel.sheet, row: rel.row });
    else {
      const keys = changedKeys(rel.properties, stored.properties);
      if (keys.length)
        changes.push({
          change: "CHANGED",
          record: relKey(rel),
          sheet: rel.sheet,
          row: rel.row,
          detail: keys.join(", "),
        });
    }
  }
  const plannedRels = new Set(plan.relationships.map(relKey));
  const removedRelationships: string[] = [];
  // The same order as localeCompare, with one collator instead of one per comparison, over only the
  // removed ones: sorting every owned relationship by localeCompare held the thread for 100 ms and more.
  const collator = new Intl.Collator();
  const removed = [...state.relationships]
    .filter(([key]) => !plannedRels.has(key))
    .sort(([a], [b]) => collator.compare(a, b));
  for (const [key, stored] of removed) {
    removedRelationships.push(stored.elementId);
    changes.push({
      change: "REMOVED",
      record: key,
      sheet: stored.properties.curatedSheet as string | undefined,
      row:
        stored.properties.curatedRow === undefined
          ? undefined
          : Number(canonical(stored.properties.curatedRow)),
    });
  }
  for (const id of removedNodes)
    changes.push({
      change: "REMOVED",
      record: id,
      sheet: state.nodes.get(id)!.properties.curatedSheet as string | undefined,
    });
  const storedSource = state.nodes.get(plan.sourceId);
  const sourceChanged =
    !storedSource || changedKeys(plan.source!.properties, storedSource.properties).length > 0;
  return { changes, sourceChanged, removedNodes, removedRelationships };
}

function reportOf(
  read: ReadWorkbook,
  plan: CurationPlan,
  status: CurationReport["status"],
  changes: CurationChange[],
): CurationReport {
  const count = (kind: CurationChange["change"]) => changes.filter((c) => c.change === kind).length;
  return {
    status,
    file: read.fileName,
    sha256: read.sha256,
    source: plan.sourceId,
    rowsRead: plan.rowsRead,
    problems: plan.problems.map((p) =>
      p.cell ? `${p.sheet}!${p.cell}: ${p.reason}` : `${p.sheet}: ${p.reason}`,
    ),
    matches: plan.matches,
    alreadyRecorded: plan.alreadyRecorded,
    changes,
    counts: {
      added: count("ADDED"),
      changed: count("CHANGED"),
      removed: count("REMOVED"),
      kept: count("KEPT"),
      matched: plan.matches.length,
    },
  };
}

/** Reads and plans a workbook: refused files and cells become the plan's problems. */
async function readAndPlan(bytes: Buffer, fileName: string, tx: WriteTransaction, slicer: TimeSlicer) {
  const read = await readWorkbookOffThread(bytes, fileName, slicer);
  if (read.problems.length && !read.sheets.size)
    return {
      read,
      plan: {
        problems: read.problems,
        matches: [],
        alreadyRecorded: [],
        sourceId: "",
        source: undefined,
        nodes: [],
        relationships: [],
        rowsRead: 0,
      } satisfies CurationPlan,
    };
  return { read, plan: await planWorkbook(read, tx, slicer) };
}

/**
 * `curate check`: every problem of the workbook, the bodies its names matched, and the changes a load
 * would make now. Reads only (a read transaction): nothing is written, whatever the file holds.
 * `transaction` (timeout, metadata) is the HTTP request's, when a route calls it. The work on this
 * thread (reading the worker's answer, planning, comparing) runs in slices with turns of the event
 * loop between (util/time-slices.ts), so that a large workbook does not hold up other requests.
 */
export async function checkWorkbook(
  driver: Driver,
  database: string,
  bytes: Buffer,
  fileName: string,
  transaction?: TransactionConfig,
): Promise<CurationReport> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  try {
    return await session.executeRead(async (tx) => {
      const slicer = new TimeSlicer();
      const { read, plan } = await readAndPlan(bytes, fileName, tx, slicer);
      if (plan.problems.length) return reportOf(read, plan, "REFUSED", []);
      const state = await ownedState(tx, plan.sourceId, slicer);
      return reportOf(read, plan, "CHECKED", (await diff(plan, state, slicer)).changes);
    }, transaction);
  } finally {
    await session.close();
  }
}

const countProjects = (changes: CurationChange[]): ChangeCounts => {
  const of = (kind: CurationChange["change"], test: (record: string) => boolean) =>
    changes.filter((c) => c.change === kind && test(c.record)).length;
  const project = (r: string) => r.startsWith("project:");
  const participation = (r: string) => r.startsWith(`${REL.PARTICIPATES_IN} `);
  return {
    projectsAdded: of("ADDED", project),
    projectsUpdated: of("CHANGED", project),
    projectsRemoved: of("REMOVED", project),
    participationsAdded: of("ADDED", participation),
    participationsRemoved: of("REMOVED", participation),
    participationsChanged: of("CHANGED", participation),
  };
};

/** The size of one write query's rows: about this many characters of text, at most this many rows. */
const WRITE_RUN_CHARACTERS = 512 * 1024;
const WRITE_RUN_ITEMS = 2_000;

/**
 * Writes the difference `found` in `tx`: removes what the workbook no longer states (keeping, unowned,
 * a node that other data refers to), then merges the plan's owned nodes and its relationships. Returns
 * the changes, with KEPT for the nodes kept.
 */
async function writeDifference(
  tx: WriteTransaction,
  plan: CurationPlan,
  found: Diff,
  slicer: TimeSlicer,
): Promise<CurationChange[]> {
  const changes = [...found.changes];
  await tx.run("UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r", {
    ids: found.removedRelationships,
  });
  // A node the workbook created goes with its row, unless other data refers to it (a relationship
  // it does not own; derived lens links do not count): then only the workbook's claim on it goes.
  const removable = await tx.run(
    `UNWIND $ids AS id MATCH (n:Entity {id: id})
     RETURN id, size([(n)-[r]-() WHERE coalesce(r.curatedBy, '') <> $source AND NOT (type(r) = '${REL.ADDRESSES}' AND r.method IN $derivedMethods) | r]) = 0 AS removable`,
    { ids: found.removedNodes, source: plan.sourceId, derivedMethods: DERIVED_LINK_METHODS },
  );
  const gone = removable.records.filter((r) => r.get("removable")).map((r) => r.get("id") as string);
  const kept = new Set(
    removable.records.filter((r) => !r.get("removable")).map((r) => r.get("id") as string),
  );
  await tx.run("UNWIND $ids AS id MATCH (n:Entity {id: id}) DETACH DELETE n", { ids: gone });
  await tx.run("UNWIND $ids AS id MATCH (n:Entity {id: id}) REMOVE n.curatedBy, n.curatedSheet", {
    ids: [...kept],
  });
  // One pass over the changes (a search of them per kept node was quadratic).
  for (const [at, change] of changes.entries())
    if (change.change === "REMOVED" && kept.has(change.record))
      changes[at] = {
        ...change,
        change: "KEPT",
        detail: "other data refers to it; the workbook no longer owns it",
      };
  // Grouped by pushing (copying each group per node was quadratic: 5,000 facts of one label).
  const byLabels = new Map<string, PlannedNode[]>();
  for (const node of [plan.source!, ...plan.nodes.filter((n) => n.owned)]) {
    const key = node.labels.join(":");
    const group = byLabels.get(key) ?? [];
    group.push(node);
    byLabels.set(key, group);
  }
  // In runs of about a MB of text: the driver packs a query's parameters in one go on this thread.
  for (const [labels, group] of byLabels)
    for (const run of runsOf(group, WRITE_RUN_CHARACTERS, WRITE_RUN_ITEMS)) {
      await mergeNodes(
        tx,
        labels.split(":"),
        run.map((n): NodeRow => ({ id: n.id, properties: n.properties })),
      );
      await slicer.pause();
    }
  const byType = new Map<RelationshipType, CurationPlan["relationships"]>();
  for (const rel of plan.relationships) {
    const group = byType.get(rel.type) ?? [];
    group.push(rel);
    byType.set(rel.type, group);
  }
  for (const [type, group] of byType)
    for (const run of runsOf(group, WRITE_RUN_CHARACTERS, WRITE_RUN_ITEMS)) {
      await mergeRelationships(
        tx,
        type,
        run.map((r) => ({ from: r.from, to: r.to, properties: r.properties })),
      );
      await slicer.pause();
    }
  return changes;
}

/**
 * `curate load`: checks the workbook again inside one write transaction and, when it has no problem,
 * writes the difference (see above) with an ImportRun and a new data version. A workbook with any
 * problem throws WorkbookRefusedError and writes nothing; a workbook that changes nothing (the same
 * workbook loaded again) writes nothing either, not even a run. Sliced as checkWorkbook is.
 */
export async function loadWorkbook(
  driver: Driver,
  database: string,
  bytes: Buffer,
  fileName: string,
  transaction?: TransactionConfig,
): Promise<CurationReport> {
  const started = new Date();
  const session = driver.session({ database });
  try {
    return await session.executeWrite(async (tx) => {
      const slicer = new TimeSlicer();
      const { read, plan } = await readAndPlan(bytes, fileName, tx, slicer);
      if (plan.problems.length) throw new WorkbookRefusedError(plan.problems);
      const state = await ownedState(tx, plan.sourceId, slicer);
      const found = await diff(plan, state, slicer);
      if (!found.changes.length && !found.sourceChanged) return reportOf(read, plan, "UNCHANGED", []);
      const changes = await writeDifference(tx, plan, found, slicer);
      await syncDerivedProperties(tx);
      const run: ImportRunRecord = {
        id: newImportRunId(started),
        source: plan.sourceId,
        location: fileName,
        startedAt: started,
        finishedAt: new Date(),
        status: "SUCCEEDED",
        files: [{ file: fileName, sha256: read.sha256, rows: plan.rowsRead }],
        rowsRead: plan.rowsRead,
        rowsRejected: 0,
        projectsUnlisted: 0,
        ...countProjects(changes),
      };
      await writeImportRun(tx, run);
      await bumpDataVersion(tx);
      return { ...reportOf(read, plan, "LOADED", changes), importRun: run.id };
    }, transaction);
  } finally {
    await session.close();
  }
}
