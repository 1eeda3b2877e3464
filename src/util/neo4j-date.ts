import neo4j, { type Date as Neo4jDate } from "neo4j-driver";

/** Stores YYYY-MM-DD as a Neo4j DATE (what the GraphQL Date scalar reads), not as a string. */
export function neo4jDate(iso: string): Neo4jDate<number> {
  const [year, month, day] = iso.split("-").map(Number);
  return new neo4j.types.Date(year!, month!, day!);
}
