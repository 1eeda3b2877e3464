import type { Driver } from "neo4j-driver";

/**
 * Whether a node with this id (any entity: the `Entity` label and its unique `id`) is in the graph: one
 * index lookup in a read transaction. Throws what the driver throws (Neo4j unavailable).
 */
export async function entityExists(driver: Driver, database: string, id: string): Promise<boolean> {
  const { records } = await driver.executeQuery(
    "MATCH (n:Entity {id: $id}) RETURN count(n) > 0 AS found",
    { id },
    { database, routing: "READ" },
  );
  return records[0]?.get("found") === true;
}
