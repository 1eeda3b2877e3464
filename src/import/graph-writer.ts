import neo4j, { type Integer, type Date as Neo4jDate } from "neo4j-driver";
import { BATCH_SIZE, type WriteTransaction } from "../db/write-transaction.js";
import { type IntegerProperties, integerProperties } from "../model/integer-properties.js";
import type { RelationshipType } from "../model/relationships.js";

// Defined with the database layer (the lenses write in the same transactions); re-exported for importers.
export { BATCH_SIZE, type WriteTransaction } from "../db/write-transaction.js";

/**
 * Batched, idempotent writes shared by the seed and the CORDIS importer. Every entity carries the
 * label Entity besides its type label: ids are unique across the whole graph, one MERGE finds a node
 * whatever its type (a CORDIS CSA is both Project and CoordinationAction), and look-ups by id need
 * no label.
 */

/**
 * A property as a reader produces it. Numbers are JS numbers: the writer turns those that the schema
 * declares `Int` into Neo4j integers (see integerProperties), the rest are stored as floats.
 */
export type PropertyValue =
  | string
  | number
  | boolean
  | null
  | string[]
  | number[]
  | Integer
  | Neo4jDate<number>;

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

/** Counts of a write that changed nothing. */
export const emptyCounts = (): WriteCounts => ({
  nodesCreated: 0,
  relationshipsCreated: 0,
  propertiesSet: 0,
  labelsAdded: 0,
});

/** The counts of two writes added field by field. */
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

let schemaIntegers: IntegerProperties | undefined;
const integersOf = () => {
  schemaIntegers ??= integerProperties();
  return schemaIntegers;
};

/** A JS number sent as it is becomes a Neo4j FLOAT; an `Int` of the schema must be an INTEGER. */
function toInteger(value: PropertyValue, where: () => string): PropertyValue {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value))
      throw new Error(`${where()}: ${value} is not a whole number, but the schema declares it Int`);
    return neo4j.int(value);
  }
  if (Array.isArray(value)) return value.map((item) => toInteger(item, where)) as unknown as PropertyValue;
  return value;
}

/**
 * Drops undefined values (null stays null so that SET n += removes a property that became empty) and
 * turns the properties in `integers` into Neo4j integers.
 */
function defined(
  properties: Record<string, PropertyValue | undefined>,
  integers: ReadonlySet<string>,
  where: string,
): Record<string, PropertyValue> {
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [
        name,
        integers.has(name) ? toInteger(value!, () => `${where}.${name}`) : (value as PropertyValue),
      ]),
  );
}

const unionOf = (sets: (ReadonlySet<string> | undefined)[]) =>
  new Set(sets.flatMap((set) => [...(set ?? [])]));

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

function batches<T>(rows: T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * MERGEs each row on the `Entity` id, adds `labels` (checked names) and sets its properties, in batches;
 * the schema's Int properties of those labels are sent as Neo4j integers. Returns what Neo4j counted.
 */
export async function mergeNodes(
  tx: WriteTransaction,
  labels: string[],
  rows: NodeRow[],
): Promise<WriteCounts> {
  const labelSet = labels.map(checkedName).join(":");
  const cypher = `UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n:${labelSet} SET n += row.properties`;
  const integers = unionOf(labels.map((label) => integersOf().nodes.get(label)));
  let counts = emptyCounts();
  for (const batch of batches(rows)) {
    counts = addCounts(
      counts,
      await run(
        tx,
        cypher,
        batch.map((row) => ({
          id: row.id,
          properties: defined(row.properties, integers, `${labels.join(":")} ${row.id}`),
        })),
      ),
    );
  }
  return counts;
}

/**
 * The properties of a node row as mergeNodes would send them: undefined dropped, null kept (it removes
 * a property), the schema's Int properties of `labels` as Neo4j integers. For writers that stage rows
 * before merging them (the OpenAIRE import's staging area), so that staged and live values compare equal.
 */
export function nodeProperties(labels: string[], row: NodeRow): Record<string, PropertyValue> {
  const integers = unionOf(labels.map((label) => integersOf().nodes.get(label)));
  return defined(row.properties, integers, `${labels.join(":")} ${row.id}`);
}

/**
 * Sets properties of an existing node (found by id) without counting it as written again; the Int
 * properties of `labels` become Neo4j integers as in mergeNodes.
 */
export async function setNodeProperties(
  tx: WriteTransaction,
  labels: string[],
  id: string,
  properties: Record<string, PropertyValue | undefined>,
): Promise<void> {
  await tx.run("MATCH (n:Entity {id: $id}) SET n += $properties", {
    id,
    properties: typedProperties(labels, id, properties),
  });
}

/** `properties` as they are stored on a node of `labels`: undefined dropped, the schema's Ints as Neo4j integers. */
function typedProperties(
  labels: string[],
  id: string,
  properties: Record<string, PropertyValue | undefined>,
): Record<string, PropertyValue> {
  const integers = unionOf(labels.map((label) => integersOf().nodes.get(label)));
  return defined(properties, integers, `${labels.join(":")} ${id}`);
}

/**
 * Sets the properties of an existing node (found by id) that it does not have yet: what a curator wrote
 * (a Source's title, date) is never overwritten by an importer that only knows a default for it. Int
 * properties of `labels` become Neo4j integers as in mergeNodes.
 */
export async function setMissingNodeProperties(
  tx: WriteTransaction,
  labels: string[],
  id: string,
  properties: Record<string, PropertyValue | undefined>,
): Promise<void> {
  const values = typedProperties(labels, id, properties);
  const keys = Object.keys(values);
  if (!keys.length) return;
  const assignments = keys.map(
    (key) => `n.${checkedName(key)} = coalesce(n.${checkedName(key)}, $values.${checkedName(key)})`,
  );
  await tx.run(`MATCH (n:Entity {id: $id}) SET ${assignments.join(", ")}`, { id, values });
}

/**
 * Both ends must exist; a missing end is a bug in validation, so it fails loudly rather than skipping.
 * The key is set again after MERGE: MERGE matches 1 and 1.0 alike, and a reload must leave the key as
 * the schema types it (an older store held `order` as a float).
 */
export async function mergeRelationships(
  tx: WriteTransaction,
  type: RelationshipType,
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
    SET r += row.key, r += row.properties
    RETURN count(r) AS written`;
  let counts = emptyCounts();
  for (const batch of batches(rows)) {
    const payload = relationshipPayload(type, batch);
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

/**
 * Relationship rows as mergeRelationships sends them: undefined dropped, null kept, the schema's Int
 * properties of `type` as Neo4j integers. For writers that merge relationships by a query of their own
 * (the CORDIS import's staging, cordis/cordis-staging.ts).
 */
export function relationshipPayload(
  type: RelationshipType,
  rows: RelationshipRow[],
): {
  from: string;
  to: string;
  key: Record<string, PropertyValue>;
  properties: Record<string, PropertyValue>;
}[] {
  const integers = integersOf().relationships.get(type) ?? new Set<string>();
  return rows.map((row) => {
    const where = `${type} ${row.from}->${row.to}`;
    return {
      from: row.from,
      to: row.to,
      key: defined(row.key ?? {}, integers, where),
      properties: defined(row.properties ?? {}, integers, where),
    };
  });
}

/** A relationship type or property name, checked before it is written into Cypher text. */
export const checkedCypherName = checkedName;
