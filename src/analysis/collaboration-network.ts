import neo4j from "neo4j-driver";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import { PROJECT_FILTER, type ProjectFilters, projectFilterParams } from "./project-filters.js";

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
  description: string;
  sourceCount: number;
}

export const MAX_NETWORK_EDGES = 5000;

/** Participants of the filtered projects, as (entity, project, contribution) rows, per level. */
const PARTICIPANTS: Record<Exclude<NetworkLevel, "FUNDER">, string> = {
  COUNTRY: `MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p) MATCH (o)-[:LOCATED_IN]->(e:Country)
    WITH p, e, e.name AS label, sum(coalesce(r.contribution, 0.0)) AS amount`,
  ORGANISATION: `MATCH (e:Organisation)-[r:PARTICIPATES_IN]->(p)
    WITH p, e, e.name AS label, sum(coalesce(r.contribution, 0.0)) AS amount`,
};

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
  const params = { ...(await projectFilterParams(context, args)), minWeight, limit: neo4j.int(limit) };

  if (args.level === "FUNDER") return funderNetwork(context, params);

  // One round trip of three streaming aggregations: no list of all projects is ever held in memory.
  const rows = await readQuery(
    context,
    `CALL () {
       MATCH (p:Project) WHERE ${PROJECT_FILTER}
       ${PARTICIPANTS[args.level]}
       WITH p, collect({id: e.id, amount: amount}) AS members
       UNWIND members AS a
       UNWIND members AS b
       WITH p, a, b WHERE a.id < b.id
       WITH a.id AS source, b.id AS target, count(p) AS projects, sum(a.amount + b.amount) AS amount
       WHERE projects >= $minWeight
       ORDER BY projects DESC, source, target
       LIMIT $limit
       RETURN collect({source: source, target: target, weight: projects, projects: projects, amount: amount}) AS edges
     }
     CALL () {
       MATCH (p:Project) WHERE ${PROJECT_FILTER}
       ${PARTICIPANTS[args.level]}
       WITH e.id AS id, label, count(p) AS weight
       RETURN collect({id: id, label: label, weight: weight}) AS nodes
     }
     CALL () {
       MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:SOURCED_FROM]->(s:Source)
       RETURN count(DISTINCT s) AS sourceCount
     }
     RETURN nodes, edges, sourceCount`,
    params,
  );
  const kind = args.level === "COUNTRY" ? "Country" : "Organisation";
  return networkOf(
    rows[0],
    kind,
    `${kind} network: an edge counts the distinct projects in which both ends have a participant ` +
      "(weight = projects); amountEur sums the EU contributions to both ends' participants in those projects; " +
      "a node's weight counts its distinct projects. Only nodes with at least one kept edge are listed.",
  );
}

type NetworkRow = {
  nodes: { id: string; label: string; weight: unknown }[];
  edges: { source: string; target: string; weight: unknown; projects: unknown; amount: number }[];
  sourceCount: unknown;
};

/** The one shape both network queries return, as the API's types. */
function networkOf(record: unknown, kind: string, description: string): CollaborationNetwork {
  const row = record as NetworkRow | undefined;
  const edges: NetworkEdge[] = (row?.edges ?? []).map((edge) => ({
    source: edge.source,
    target: edge.target,
    weight: toNumber(edge.weight),
    projects: toNumber(edge.projects),
    amountEur: edge.amount,
  }));
  return {
    nodes: nodesOf(edges, row?.nodes ?? [], kind),
    edges,
    description,
    sourceCount: toNumber(row?.sourceCount),
  };
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

async function funderNetwork(
  context: AnalysisContext,
  params: Record<string, unknown>,
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
       LIMIT $limit
       RETURN collect({source: source, target: target, weight: weight, amount: 0.0,
         projects: COUNT { MATCH (p:Project)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(g:Programme) WHERE g IN shared }}) AS edges
     }
     CALL (programmeList) {
       UNWIND programmeList AS programme
       WITH programme.g AS g
       MATCH (g)-[:SOURCED_FROM]->(s:Source)
       RETURN count(DISTINCT s) AS sourceCount
     }
     RETURN nodes, edges, sourceCount`,
    params,
  );
  return networkOf(
    rows[0],
    "Funder",
    "Funder network: an edge counts the programmes both funders fund (FUNDED_BY), weight = programmes; " +
      "projects counts the distinct projects funded under those programmes; a node's weight counts its programmes.",
  );
}
