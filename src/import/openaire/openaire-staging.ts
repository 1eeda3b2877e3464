import os from "node:os";
import neo4j, { type Driver } from "neo4j-driver";
import { DATA_VERSION_ID } from "../../db/data-version.js";
import { REL } from "../../model/relationships.js";
import type { NodeRow, PropertyValue, WriteTransaction } from "../graph-writer.js";
import { nodeProperties } from "../graph-writer.js";

/**
 * The staging area of the OpenAIRE import (issue 21.2): what the write pass writes before the one
 * publish transaction makes it visible.
 *
 * A staged project is a node labelled only `OpenAireStaged`: not `Entity` (entity look-ups match
 * `(:Entity {id})`), not `Project` (generated queries and analyses match `:Project`), with no `id` and
 * NO RELATIONSHIP. Its target id is `stagedId`; the programmes and participants it will be linked to
 * are lists on it (`stagedProgrammes`, `stagedParticipants`), and `stagedNulls` names the properties
 * the record leaves empty (to be removed from a live twin). Without relationships no traversal from a
 * visible node (generated GraphQL, analyses, shortest paths) can reach it, whatever its labels; only a
 * query of all nodes without a label (`db status` counts) sees it.
 *
 * One `OpenAireImportLock` node (no Entity, no relationships) names the import writing: its run id,
 * process id, host and heartbeat. A second import refuses to start while it is held by a live run; a
 * lock whose process is gone (same host) or whose heartbeat is older than STALE_LOCK_MS is taken over,
 * and the staging of earlier runs is removed first.
 */
export const STAGED_LABEL = "OpenAireStaged";
export const LOCK_LABEL = "OpenAireImportLock";
const LOCK_ID = "openaire-import";

/**
 * A staging area and its lock, shared by the importers that stage then publish (OpenAIRE here, CORDIS
 * in cordis/cordis-staging.ts): the labels of its staged nodes (each carrying `runId`), the label and
 * id of its lock node, the property of the DataVersion node that serialises claims, and the importer's
 * name as messages say it.
 */
export interface StagingArea {
  stagedLabels: readonly string[];
  lockLabel: string;
  lockId: string;
  claimProperty: string;
  name: string;
}

/** The OpenAIRE import's staging area (the default of the functions below). */
export const OPENAIRE_STAGING: StagingArea = {
  stagedLabels: [STAGED_LABEL],
  lockLabel: LOCK_LABEL,
  lockId: LOCK_ID,
  claimProperty: "openaireImportClaim",
  name: "OpenAIRE",
};
/** Properties of a staged node that are not the project's. */
export const STAGING_PROPERTIES = [
  "stagedId",
  "runId",
  "stagedAt",
  "stagedProgrammes",
  "stagedParticipants",
  "stagedNulls",
] as const;
/**
 * A lock held by a process on another host counts as abandoned after two hours without a heartbeat:
 * each staging batch beats it, and the longest step without one is the publish transaction (time-out
 * one hour).
 */
export const STALE_LOCK_MS = 2 * 60 * 60 * 1000;
/** Staged nodes removed per transaction when earlier runs' staging is cleared. */
const REMOVE_BATCH = 10_000;

/** Who holds the import lock. */
export interface LockHolder {
  runId: string;
  pid: number;
  host: string;
  startedAt: string;
  /** Last heartbeat, as Neo4j prints the time (for people) and in epoch milliseconds (for the check). */
  heartbeat: string;
  heartbeatMs: number;
}

/** Another OpenAIRE import is writing to this database: the second one is refused, nothing written. */
export class ImportBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    importer = "OpenAIRE",
  ) {
    super(
      `another ${importer} import is running on this database (run ${holder.runId}, process ${holder.pid} on ${holder.host}, started ${holder.startedAt}, last heartbeat ${holder.heartbeat}); wait for it to finish, or stop it (its staging is removed by the next import)`,
    );
    this.name = "ImportBusyError";
  }
}

const num = (value: unknown) =>
  typeof value === "number" ? value : (value as { toNumber(): number }).toNumber();

function holderOf(map: Record<string, unknown>): LockHolder {
  return {
    runId: String(map.runId),
    pid: num(map.pid),
    host: String(map.host),
    startedAt: String(map.startedAt),
    heartbeat: String(map.heartbeat),
    heartbeatMs: map.heartbeatMs === undefined || map.heartbeatMs === null ? 0 : num(map.heartbeatMs),
  };
}

/** Whether process `pid` of this host exists (EPERM: it exists but is not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a lock holder is still writing: its process lives (same host), or its heartbeat is recent. */
export function holderAlive(holder: LockHolder, now = Date.now()): boolean {
  if (holder.host === os.hostname() && !processAlive(holder.pid)) return false;
  return now - holder.heartbeatMs < STALE_LOCK_MS;
}

/**
 * Takes the import lock for `runId` in `tx`, or throws ImportBusyError when a live run holds it.
 * Claims are serialised by write-locking the DataVersion node first (a constraint-backed singleton), so
 * two imports starting together cannot both take it. Returns the abandoned holder taken over (null if
 * none) and the number of staged nodes of earlier runs (to be removed with removeStaging).
 */
export async function claimImportLock(
  tx: WriteTransaction,
  runId: string,
  area: StagingArea = OPENAIRE_STAGING,
): Promise<{ abandoned: LockHolder | null; leftover: number }> {
  await tx.run(
    `MERGE (v:DataVersion {id: $id}) ON CREATE SET v.version = 0
     SET v.${area.claimProperty} = $run REMOVE v.${area.claimProperty}`,
    { id: DATA_VERSION_ID, run: runId },
  );
  const held = await tx.run(`MATCH (l:${area.lockLabel} {id: $lock}) RETURN properties(l) AS holder`, {
    lock: area.lockId,
  });
  const existing = held.records[0]
    ? holderOf(held.records[0].get("holder") as Record<string, unknown>)
    : null;
  if (existing && existing.runId !== runId && holderAlive(existing))
    throw new ImportBusyError(existing, area.name);
  await tx.run(
    `MERGE (l:${area.lockLabel} {id: $lock})
     SET l.runId = $run, l.pid = $pid, l.host = $host, l.startedAt = toString(datetime()),
       l.heartbeat = toString(datetime()), l.heartbeatMs = timestamp()`,
    { lock: area.lockId, run: runId, pid: neo4j.int(process.pid), host: os.hostname() },
  );
  let leftover = 0;
  for (const label of area.stagedLabels) {
    const result = await tx.run(
      `MATCH (s:${label}) WHERE s.runId IS NULL OR s.runId <> $run RETURN count(s) AS n`,
      { run: runId },
    );
    leftover += num(result.records[0]!.get("n"));
  }
  return { abandoned: existing?.runId === runId ? null : existing, leftover };
}

/**
 * Beats the lock of `runId` in `tx` (a staging batch); throws when the run no longer holds it (another
 * import took it over as abandoned), so that the batch is rolled back instead of mixing two runs.
 */
export async function beatImportLock(
  tx: WriteTransaction,
  runId: string,
  area: StagingArea = OPENAIRE_STAGING,
): Promise<void> {
  const result = await tx.run(
    `MATCH (l:${area.lockLabel} {id: $lock, runId: $run}) SET l.heartbeat = toString(datetime()), l.heartbeatMs = timestamp() RETURN count(l) AS held`,
    { lock: area.lockId, run: runId },
  );
  if (num(result.records[0]!.get("held")) !== 1)
    throw new Error(`import run ${runId} lost the ${area.name} import lock (another import took it over)`);
}

/** Releases the lock of `runId` in `tx` (the publish transaction, or the clean-up after a failure). */
export async function releaseImportLock(
  tx: WriteTransaction,
  runId: string,
  area: StagingArea = OPENAIRE_STAGING,
): Promise<void> {
  await tx.run(`MATCH (l:${area.lockLabel} {id: $lock, runId: $run}) DELETE l`, {
    lock: area.lockId,
    run: runId,
  });
}

/**
 * Removes staged nodes in transactions of 10,000 through `inTransaction`: with `exceptRun` those of
 * every other run (leftovers of crashed or killed imports), with `onlyRun` those of that run (a run
 * that failed). Returns how many were removed.
 */
export async function removeStaging(
  inTransaction: <T>(job: string, work: (tx: WriteTransaction) => Promise<T>) => Promise<T>,
  which: { exceptRun: string } | { onlyRun: string },
  area: StagingArea = OPENAIRE_STAGING,
): Promise<number> {
  const where = "exceptRun" in which ? "s.runId IS NULL OR s.runId <> $run" : "s.runId = $run";
  const run = "exceptRun" in which ? which.exceptRun : which.onlyRun;
  let removed = 0;
  for (const label of area.stagedLabels) {
    for (;;) {
      const n = await inTransaction("remove staging", async (tx) => {
        const result = await tx.run(
          `MATCH (s:${label}) WHERE ${where} WITH s LIMIT $limit DETACH DELETE s RETURN count(*) AS n`,
          { run, limit: neo4j.int(REMOVE_BATCH) },
        );
        return num(result.records[0]!.get("n"));
      });
      removed += n;
      if (n < REMOVE_BATCH) break;
    }
  }
  return removed;
}

/** One project to stage: its row (as projectRow gives it) and the links it will have. */
export interface StagedProject {
  row: NodeRow;
  /** Programme ids it is FUNDED_UNDER (OpenAIRE's). */
  programmes: string[];
  /** Organisation ids taking part (OpenAIRE's); null when the import has no relation files. */
  participants: string[] | null;
}

/**
 * Stages one batch in `tx`: a project whose live twin already holds exactly what the publish would
 * write (same labels, each property of the row with the same value AND type, SOURCED_FROM `source`,
 * FUNDED_UNDER exactly the OpenAIRE programmes listed, and with relations exactly the OpenAIRE
 * participations listed, each of role "participant") is dropped: publishing it would change nothing.
 * Every other one becomes a staged node of `runId`. Returns the number staged.
 */
export async function stageBatch(
  tx: WriteTransaction,
  runId: string,
  source: string,
  projects: StagedProject[],
): Promise<number> {
  const rows = projects.map((p) => ({
    id: p.row.id,
    properties: nodeProperties(["Project"], p.row),
    programmes: p.programmes,
    participants: p.participants,
  }));
  // Only a project that is live can be unchanged: the long comparison below (slow to plan on a cold
  // Neo4j) runs for those alone, and not at all on a first import.
  const live = await tx.run("UNWIND $ids AS id MATCH (p:Entity {id: id}) RETURN p.id AS id", {
    ids: rows.map((row) => row.id),
  });
  const liveIds = new Set(live.records.map((r) => r.get("id") as string));
  const liveRows = rows.filter((row) => liveIds.has(row.id));
  // Types are compared too: a live FLOAT 2020 where the schema now writes INTEGER 2020 is a change.
  // Far nodes are tested with labels() after expanding from the project: a label in the pattern let
  // the planner seek every OpenAIRE organisation (STARTS WITH) or programme once per row.
  const unchanged = liveRows.length
    ? await tx.run(
        `UNWIND $rows AS row
     MATCH (p:Project:Entity {id: row.id})
     WHERE all(k IN keys(row.properties) WHERE valueType(p[k]) = valueType(row.properties[k])
             AND (row.properties[k] IS NULL OR p[k] = row.properties[k]))
       AND EXISTS { (p)-[:${REL.SOURCED_FROM}]->(:Source {id: $source}) }
       AND all(g IN row.programmes WHERE EXISTS { (p)-[:${REL.FUNDED_UNDER}]->(:Entity {id: g}) })
       AND NOT EXISTS { (p)-[:${REL.FUNDED_UNDER}]->(g) WHERE 'Programme' IN labels(g) AND NOT g.id IN row.programmes
         AND EXISTS { (g)-[:${REL.SOURCED_FROM}]->(:Source {id: $source}) } }
       AND (row.participants IS NULL OR (
         all(o IN row.participants WHERE EXISTS { (:Entity {id: o})-[:${REL.PARTICIPATES_IN}]->(p) }
           AND NOT EXISTS { (:Entity {id: o})-[r:${REL.PARTICIPATES_IN}]->(p) WHERE r.role IS NULL OR r.role <> 'participant' })
         AND NOT EXISTS { (o)-[:${REL.PARTICIPATES_IN}]->(p) WHERE 'Organisation' IN labels(o) AND o.id STARTS WITH 'openaire-org:' AND NOT o.id IN row.participants }))
     RETURN p.id AS id`,
        { rows: liveRows, source },
      )
    : null;
  const same = new Set(unchanged?.records.map((r) => r.get("id") as string));
  const staged = rows
    .filter((row) => !same.has(row.id))
    .map((row) => {
      const nulls = Object.keys(row.properties).filter((k) => row.properties[k] === null);
      // Empty lists are not stored: absent reads as "none" (coalesce in the publish).
      return {
        id: row.id,
        properties: row.properties,
        programmes: row.programmes.length ? row.programmes : null,
        participants: row.participants?.length ? row.participants : null,
        nulls: nulls.length ? nulls : null,
      };
    });
  if (!staged.length) return 0;
  await tx.run(
    `UNWIND $rows AS row
     CREATE (s:${STAGED_LABEL})
     SET s += row.properties, s.stagedId = row.id, s.runId = $run, s.stagedAt = datetime(),
       s.stagedProgrammes = row.programmes, s.stagedParticipants = row.participants, s.stagedNulls = row.nulls`,
    { rows: staged, run: runId },
  );
  return staged.length;
}

/** What `db status` says about the staging area: staged nodes by run, and who holds the lock. */
export interface StagingStatus {
  stagedProjects: number;
  runs: { runId: string; stagedProjects: number; stagedSince: string }[];
  lock: (LockHolder & { alive: boolean }) | null;
}

/**
 * Reads the staging area: staged projects (total and by run, oldest first) and the lock holder, with
 * whether it is alive (see holderAlive). A staged run that is not the lock holder's is the leftover of
 * a crashed import; the next `import openaire` removes it.
 */
export async function stagingStatus(driver: Driver, database: string): Promise<StagingStatus> {
  const runs = await driver.executeQuery(
    `MATCH (s:${STAGED_LABEL})
     RETURN s.runId AS runId, count(s) AS n, toString(min(s.stagedAt)) AS since ORDER BY since`,
    {},
    { database },
  );
  const lock = await driver.executeQuery(
    `MATCH (l:${LOCK_LABEL} {id: $lock}) RETURN properties(l) AS holder`,
    { lock: LOCK_ID },
    { database },
  );
  const list = runs.records.map((r) => ({
    runId: String(r.get("runId")),
    stagedProjects: num(r.get("n")),
    stagedSince: String(r.get("since")),
  }));
  const holder = lock.records[0] ? holderOf(lock.records[0].get("holder") as Record<string, unknown>) : null;
  return {
    stagedProjects: list.reduce((sum, r) => sum + r.stagedProjects, 0),
    runs: list,
    lock: holder ? { ...holder, alive: holderAlive(holder) } : null,
  };
}

/**
 * A staged node's own properties for a live twin: the staging properties (OpenAIRE's unless given) left
 * out, those named in `stagedNulls` null (SET += removes them).
 */
export function liveProperties(
  staged: Record<string, unknown>,
  stagingProperties: readonly string[] = STAGING_PROPERTIES,
): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const [key, value] of Object.entries(staged))
    if (!stagingProperties.includes(key)) out[key] = value as PropertyValue;
  for (const key of (staged.stagedNulls as string[] | null | undefined) ?? []) out[key] = null;
  return out;
}
