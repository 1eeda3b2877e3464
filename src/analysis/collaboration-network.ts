import neo4j from "neo4j-driver";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import {
  PROJECT_FILTER,
  type ProjectFilters,
  participationsByCountry,
  projectFilterParams,
} from "./project-filters.js";

export type NetworkLevel = "COUNTRY" | "ORGANISATION" | "FUNDER";

export interface NetworkArgs extends ProjectFilters {
  level: NetworkLevel;
  minWeight?: number | null | undefined;
  limit?: number | null | undefined;
}

export interface NetworkNode {
  id: string;
  label: string;
  kind: string;
  weight: number;
}

export interface NetworkEdge {
  source: string;
  target: string;
  weight: number;
  projects: number;
  amountEur: number;
}

export interface CollaborationNetwork {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  /** Edges that passed minWeight; more than edges.length when the network was cut to the heaviest `limit`. */
  totalEdges: number;
  description: string;
  sourceCount: number;
}

export const MAX_NETWORK_EDGES = 5000;

/** The participations `r` of each entity `e` in the filtered projects `p`. */
const MEMBERSHIP: Record<Exclude<NetworkLevel, "FUNDER">, string> = {
  COUNTRY: participationsByCountry("e"),
  ORGANISATION: `MATCH (e:Organisation)-[r:PARTICIPATES_IN]->(p:Project) WHERE ${PROJECT_FILTER}`,
};

interface Membership {
  id: string;
  label: string | null;
  projects: string[];
  amounts: number[];
}

/**
 * Who works with whom. COUNTRY and ORGANISATION: two entities are linked by the number of distinct
 * projects in which both have a participant. FUNDER: by the number of programmes both fund. Undirected,
 * one edge per pair (source id < target id), no self-pairs, ordered by weight desc then ids.
 */
export async function collaborationNetwork(
  context: AnalysisContext,
  args: NetworkArgs,
): Promise<CollaborationNetwork> {
  const minWeight = args.minWeight ?? 1;
  const limit = args.limit ?? 500;
  if (limit < 1 || limit > MAX_NETWORK_EDGES)
    throw badInput("limit", `must be between 1 and ${MAX_NETWORK_EDGES}, got ${limit}`);
  if (minWeight < 0) throw badInput("minWeight", `must not be negative, got ${minWeight}`);
  const filters = await projectFilterParams(context, args);

  if (args.level === "FUNDER") return funderNetwork(context, { ...filters, minWeight }, limit);

  // Neo4j gives who is in which project; the pairs are counted here, where it is a tight loop over
  // integers instead of hundreds of thousands of Cypher rows.
  const [members, sources] = await Promise.all([
    readQuery<Membership>(
      context,
      `${MEMBERSHIP[args.level]}
       WITH e, p, sum(coalesce(r.contribution, 0.0)) AS amount
       WITH e, collect(p.id) AS projects, collect(amount) AS amounts
       RETURN e.id AS id, e.name AS label, projects, amounts`,
      filters,
    ),
    readQuery(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:SOURCED_FROM]->(s:Source)
       RETURN count(DISTINCT s) AS sourceCount`,
      filters,
    ),
  ]);
  const kind = args.level === "COUNTRY" ? "Country" : "Organisation";
  const { edges, totalEdges } = sharedProjectEdges(members, minWeight, limit);
  const nodes = members.map((member) => ({
    id: member.id,
    label: member.label ?? member.id,
    weight: member.projects.length,
  }));
  return {
    nodes: nodesOf(edges, nodes, kind),
    edges,
    totalEdges,
    description:
      `${kind} network: an edge counts the distinct projects in which both ends have a participant ` +
      "(weight = projects); amountEur sums the EU contributions to both ends' participants in those projects; " +
      "a node's weight counts its distinct projects. Only nodes with at least one kept edge are listed.",
    sourceCount: toNumber(sources[0]?.sourceCount),
  };
}

/**
 * Every pair of entities that share at least `minWeight` projects, heaviest first then by ids, cut to
 * `limit`; totalEdges is how many passed minWeight before the cut.
 */
export function sharedProjectEdges(
  members: readonly Membership[],
  minWeight: number,
  limit: number,
): { edges: NetworkEdge[]; totalEdges: number } {
  // Entities by index in id order, so that a pair (i < j) has source id < target id.
  const ordered = [...members].sort((a, b) => compareIds(a.id, b.id));
  const inProject = new Map<string, { entity: number; amount: number }[]>();
  ordered.forEach((member, entity) => {
    member.projects.forEach((project, k) => {
      const list = inProject.get(project);
      const entry = { entity, amount: member.amounts[k] ?? 0 };
      if (list) list.push(entry);
      else inProject.set(project, [entry]);
    });
  });
  const size = ordered.length;
  const pairs = new Map<number, { projects: number; amount: number }>();
  for (const list of inProject.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [a, b] = list[x]!.entity < list[y]!.entity ? [list[x]!, list[y]!] : [list[y]!, list[x]!];
        const key = a.entity * size + b.entity;
        const pair = pairs.get(key);
        if (pair) {
          pair.projects += 1;
          pair.amount += a.amount + b.amount;
        } else pairs.set(key, { projects: 1, amount: a.amount + b.amount });
      }
    }
  }
  const kept: NetworkEdge[] = [];
  for (const [key, pair] of pairs) {
    if (pair.projects < minWeight) continue;
    kept.push({
      source: ordered[Math.floor(key / size)]!.id,
      target: ordered[key % size]!.id,
      weight: pair.projects,
      projects: pair.projects,
      amountEur: pair.amount,
    });
  }
  kept.sort(
    (a, b) => b.weight - a.weight || compareIds(a.source, b.source) || compareIds(a.target, b.target),
  );
  return { edges: kept.slice(0, limit), totalEdges: kept.length };
}

/** Code-unit order, as Cypher's ORDER BY sorts strings (localeCompare would not). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The nodes that the kept edges touch, heaviest first, then by id. */
function nodesOf(
  edges: NetworkEdge[],
  all: { id: string; label: string; weight: unknown }[],
  kind: string,
): NetworkNode[] {
  const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  return all
    .filter((node) => used.has(node.id))
    .map((node) => ({ id: node.id, label: node.label ?? node.id, kind, weight: toNumber(node.weight) }))
    .sort((a, b) => b.weight - a.weight || a.id.localeCompare(b.id));
}

type FunderNetworkRow = {
  nodes: { id: string; label: string; weight: unknown }[];
  edges: { source: string; target: string; weight: unknown; projects: unknown; amount: number }[];
  totalEdges: unknown;
  sourceCount: unknown;
};

async function funderNetwork(
  context: AnalysisContext,
  params: Record<string, unknown>,
  limit: number,
): Promise<CollaborationNetwork> {
  // A programme counts when it matches the filters itself: its years, its topics, its id or parent.
  const rows = await readQuery(
    context,
    `MATCH (g:Programme)-[:FUNDED_BY]->(f:Funder)
     WHERE ($fromYear IS NULL OR coalesce(g.endYear, g.startYear) >= $fromYear)
       AND ($toYear IS NULL OR g.startYear <= $toYear)
       AND ($topicIds IS NULL OR EXISTS { MATCH (g)-[:COVERS]->(t:Topic) WHERE t.id IN $topicIds })
       AND ($programmeIds IS NULL OR EXISTS { MATCH (g)-[:PART_OF*0..3]->(q:Programme) WHERE q.id IN $programmeIds })
     WITH g, collect(DISTINCT {id: f.id, label: coalesce(f.acronym, f.name)}) AS funders
     WITH collect({g: g, funders: funders}) AS programmeList
     CALL (programmeList) {
       UNWIND programmeList AS programme UNWIND programme.funders AS f
       WITH f.id AS id, f.label AS label, count(DISTINCT programme.g) AS weight
       RETURN collect({id: id, label: label, weight: weight}) AS nodes
     }
     CALL (programmeList) {
       UNWIND programmeList AS programme
       UNWIND programme.funders AS a UNWIND programme.funders AS b
       WITH programme, a, b WHERE a.id < b.id
       WITH a.id AS source, b.id AS target, collect(DISTINCT programme.g) AS shared
       WITH source, target, size(shared) AS weight, shared
       WHERE weight >= $minWeight
       ORDER BY weight DESC, source, target
       WITH collect({source: source, target: target, weight: weight, shared: shared}) AS kept
       RETURN size(kept) AS totalEdges, [edge IN kept[0..$limit] | {
         source: edge.source, target: edge.target, weight: edge.weight, amount: 0.0,
         projects: COUNT { MATCH (p:Project)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(g:Programme) WHERE g IN edge.shared }
       }] AS edges
     }
     CALL (programmeList) {
       UNWIND programmeList AS programme
       WITH programme.g AS g
       MATCH (g)-[:SOURCED_FROM]->(s:Source)
       RETURN count(DISTINCT s) AS sourceCount
     }
     RETURN nodes, edges, totalEdges, sourceCount`,
    { ...params, limit: neo4j.int(limit) },
  );
  const row = rows[0] as FunderNetworkRow | undefined;
  const edges: NetworkEdge[] = (row?.edges ?? []).map((edge) => ({
    source: edge.source,
    target: edge.target,
    weight: toNumber(edge.weight),
    projects: toNumber(edge.projects),
    amountEur: edge.amount,
  }));
  return {
    nodes: nodesOf(edges, row?.nodes ?? [], "Funder"),
    edges,
    totalEdges: toNumber(row?.totalEdges),
    description:
      "Funder network: an edge counts the programmes both funders fund (FUNDED_BY), weight = programmes; " +
      "projects counts the distinct projects funded under those programmes; a node's weight counts its programmes.",
    sourceCount: toNumber(row?.sourceCount),
  };
}
