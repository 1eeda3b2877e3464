import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";

export interface EntityPath {
  length: number;
  nodes: { id: string; label: string; types: string[] }[];
  relationships: { type: string; source: string; target: string }[];
}

export const MAX_HOPS = 10;

/**
 * The shortest chain of relationships between two entities, in either direction. Provenance links
 * (SOURCED_FROM) are left out: through a shared source everything is two hops from everything.
 */
export async function shortestPath(
  context: AnalysisContext,
  args: { fromId: string; toId: string; maxHops?: number | null | undefined },
): Promise<EntityPath | null> {
  const maxHops = args.maxHops ?? 6;
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > MAX_HOPS) {
    throw badInput("maxHops", `must be a whole number between 1 and ${MAX_HOPS}, got ${maxHops}`);
  }
  const found = await readQuery<{ id: string }>(
    context,
    "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id",
    {
      ids: [args.fromId, args.toId],
    },
  );
  for (const [argument, id] of [
    ["fromId", args.fromId],
    ["toId", args.toId],
  ] as const) {
    if (!found.some((row) => row.id === id)) throw badInput(argument, `no entity with id ${id}`);
  }
  if (args.fromId === args.toId) {
    const [node] = await readQuery<EntityPath["nodes"][number]>(
      context,
      "MATCH (n:Entity {id: $id}) RETURN n.id AS id, coalesce(n.name, n.title, n.id) AS label, [l IN labels(n) WHERE l <> 'Entity'] AS types",
      { id: args.fromId },
    );
    return { length: 0, nodes: [node!], relationships: [] };
  }
  // The hop bound cannot be a parameter in Cypher: it is a validated integer.
  const rows = await readQuery<{ nodes: EntityPath["nodes"]; relationships: EntityPath["relationships"] }>(
    context,
    `MATCH (a:Entity {id: $fromId}), (b:Entity {id: $toId})
     MATCH path = shortestPath((a)-[rels*..${maxHops}]-(b))
     WHERE none(r IN rels WHERE type(r) = '${REL.SOURCED_FROM}')
     RETURN [n IN nodes(path) | {id: n.id, label: coalesce(n.name, n.title, n.id), types: [l IN labels(n) WHERE l <> 'Entity']}] AS nodes,
            [r IN relationships(path) | {type: type(r), source: startNode(r).id, target: endNode(r).id}] AS relationships`,
    { fromId: args.fromId, toId: args.toId },
  );
  const row = rows[0];
  return row
    ? { length: row.relationships.length, nodes: row.nodes, relationships: row.relationships }
    : null;
}
