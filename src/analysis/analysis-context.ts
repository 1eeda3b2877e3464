import neo4j, { type Driver, type RecordShape } from "neo4j-driver";

/** What every analysis needs: the driver and the database. Queries are reads, routed to readers. */
export interface AnalysisContext {
  driver: Driver;
  database: string;
}

export async function readQuery<T extends RecordShape = RecordShape>(
  context: AnalysisContext,
  cypher: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const { records } = await context.driver.executeQuery(cypher, params, {
    database: context.database,
    routing: neo4j.routing.READ,
  });
  return records.map((record) => record.toObject() as T);
}

/** Neo4j integers come back as Integer objects; analysis results are plain numbers. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  return Number(value);
}
