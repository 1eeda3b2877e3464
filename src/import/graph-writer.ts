import type { ManagedTransaction, Date as Neo4jDate } from "neo4j-driver";

/** A managed or an explicit transaction: writers only need to run queries in it. */
export type WriteTransaction = Pick<ManagedTransaction, "run">;

/**
 * Batched, idempotent writes shared by the seed and the CORDIS importer. Every entity carries the
 * label Entity besides its type label: ids are unique across the whole graph, one MERGE finds a node
 * whatever its type (a CORDIS CSA is both Project and CoordinationAction), and look-ups by id need
 * no label.
 */

export type PropertyValue = string | number | boolean | null | string[] | number[] | Neo4jDate<number>;

export interface NodeRow {
  id: string;
  properties: Record<string, PropertyValue | undefined>;
}

export interface RelationshipRow {
  from: string;
  to: string;
  /** Part of the relationship's identity: MERGE keys on them (e.g. the role of a participation). */
  key?: Record<string, PropertyValue>;
  properties?: Record<string, PropertyValue | undefined>;
}

export interface WriteCounts {
  nodesCreated: number;
  relationshipsCreated: number;
  propertiesSet: number;
  labelsAdded: number;
}

export const emptyCounts = (): WriteCounts => ({
  nodesCreated: 0,
  relationshipsCreated: 0,
  propertiesSet: 0,
  labelsAdded: 0,
});

export function addCounts(total: WriteCounts, more: WriteCounts): WriteCounts {
  return {
    nodesCreated: total.nodesCreated + more.nodesCreated,
    relationshipsCreated: total.relationshipsCreated + more.relationshipsCreated,
    propertiesSet: total.propertiesSet + more.propertiesSet,
    labelsAdded: total.labelsAdded + more.labelsAdded,
  };
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkedName(name: string): string {
  // Labels and types cannot be parameters in Cypher: only trusted, simple names are interpolated.
  if (!NAME.test(name)) throw new Error(`not a valid label or relationship type: ${name}`);
  return name;
}

/** Drops undefined values; null stays null so that SET n += removes a property that became empty. */
function defined(properties: Record<string, PropertyValue | undefined>): Record<string, PropertyValue> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined)) as Record<
    string,
    PropertyValue
  >;
}

async function run(tx: WriteTransaction, cypher: string, rows: unknown[]): Promise<WriteCounts> {
  const result = await tx.run(cypher, { rows });
  const updates = result.summary.counters.updates();
  return {
    nodesCreated: updates.nodesCreated,
    relationshipsCreated: updates.relationshipsCreated,
    propertiesSet: updates.propertiesSet,
    labelsAdded: updates.labelsAdded,
  };
}

export const BATCH_SIZE = 10000;

function batches<T>(rows: T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function mergeNodes(
  tx: WriteTransaction,
  labels: string[],
  rows: NodeRow[],
): Promise<WriteCounts> {
  const labelSet = labels.map(checkedName).join(":");
  const cypher = `UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n:${labelSet} SET n += row.properties`;
  let counts = emptyCounts();
  for (const batch of batches(rows)) {
    counts = addCounts(
      counts,
      await run(
        tx,
        cypher,
        batch.map((row) => ({ id: row.id, properties: defined(row.properties) })),
      ),
    );
  }
  return counts;
}

/** Both ends must exist; a missing end is a bug in validation, so it fails loudly rather than skipping. */
export async function mergeRelationships(
  tx: WriteTransaction,
  type: string,
  rows: RelationshipRow[],
  keyNames: string[] = [],
): Promise<WriteCounts> {
  const keyPattern = keyNames.length
    ? ` {${keyNames.map((k) => `${checkedName(k)}: row.key.${checkedName(k)}`).join(", ")}}`
    : "";
  const cypher = `UNWIND $rows AS row
    MATCH (a:Entity {id: row.from})
    MATCH (b:Entity {id: row.to})
    MERGE (a)-[r:${checkedName(type)}${keyPattern}]->(b)
    SET r += row.properties
    RETURN count(r) AS written`;
  let counts = emptyCounts();
  for (const batch of batches(rows)) {
    const payload = batch.map((row) => ({
      from: row.from,
      to: row.to,
      key: row.key ?? {},
      properties: defined(row.properties ?? {}),
    }));
    const result = await tx.run(cypher, { rows: payload });
    const written = result.records[0]?.get("written").toNumber() ?? 0;
    if (written !== batch.length) {
      throw new Error(`${type}: ${batch.length - written} relationship(s) point at ids that do not exist`);
    }
    const updates = result.summary.counters.updates();
    counts = addCounts(counts, {
      nodesCreated: 0,
      relationshipsCreated: updates.relationshipsCreated,
      propertiesSet: updates.propertiesSet,
      labelsAdded: 0,
    });
  }
  return counts;
}
