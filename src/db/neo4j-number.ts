import neo4j from "neo4j-driver";

/**
 * A number read from Neo4j as a JavaScript number: Neo4j integers come back as Integer objects (or
 * bigint), floats as numbers; null and undefined read as 0. Integers beyond 2^53 lose precision, as
 * every count and cent amount of the graph stays far below it.
 */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  return Number(value);
}
