import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { CoverageRequest } from "./coverage.js";
import { centsOf, eurFromCents } from "./money.js";
import {
  bodyOf,
  fundedUnder,
  funderBody,
  PROGRAMME_FILTER,
  PROJECT_FILTER,
  type ProjectFilters,
  participationsByCountry,
  projectFilterParams,
  sourceCountOf,
} from "./project-filters.js";
import { filteredProjects } from "./projection-analyses.js";
import { type ProjectionNetwork, projectionNetwork } from "./projection-network.js";
import { projectionFor } from "./projection-store.js";

export type NetworkLevel = "COUNTRY" | "ORGANISATION" | "FUNDER";

/** What defines a network: the level, the filters and minWeight (a pair sharing fewer is no tie). */
export interface NetworkDefinition extends ProjectFilters {
  level: NetworkLevel;
  minWeight?: number | null | undefined;
}

export interface NetworkArgs extends NetworkDefinition {
  /** How many of the heaviest edges to return: a display choice, never an input of the metrics. */
  limit?: number | null | undefined;
}

export interface NetworkNode {
  /** The entity id, e.g. country:DE (GraphQL `key`). */
  key: string;
  label: string;
  kind: string;
  weight: number;
}

export interface NetworkEdge {
  source: string;
  target: string;
  weight: number;
  projects: number;
  /** EUR, exact to the cent. */
  amountEur: number;
}

export interface CollaborationNetwork {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  /** Edges that passed minWeight; more than edges.length when the network was cut to the heaviest `limit`. */
  totalEdges: number;
  description: string;
  sourceCount: number;
  /** Resolved into `coverage` when a client asks for it (coverage.ts). */
  coverageRequest: CoverageRequest;
}

/**
 * The whole network (every edge that passes minWeight, heaviest first then by ids), before any cut for
 * display: the metrics are computed on it. `records` are the ids of the projects (or programmes) that
 * each number counts, for sourceCount.
 */
export interface WholeNetwork {
  nodes: (NetworkNode & { records: string[] })[];
  edges: (NetworkEdge & { records?: string[] })[];
  description: string;
  coverageRequest: CoverageRequest;
  /**
   * From the analysis projection: the sourceCount of the listed nodes' projects, computed in memory
   * (its nodes' `records` are then empty).
   */
  sourceCountOf?: (nodeKeys: ReadonlySet<string>) => number;
  /**
   * From the analysis projection: the heaviest `limit` edges and the nodes they touch, made without
   * making every edge (`nodes` and `edges` are then made on first use, for the metrics and exports),
   * and how many edges the whole network has.
   */
  cut?: (limit: number) => { nodes: NetworkNode[]; edges: NetworkEdge[]; totalEdges: number };
  /** From the analysis projection: the whole network by index, without an object per edge (ProjectionNetwork). */
  columns?: ProjectionNetwork["columns"];
  /** From the analysis projection: node keys and pairs as sorted numbers (ProjectionNetwork). */
  pairCodes?: ProjectionNetwork["pairCodes"];
}

/**
 * The arguments of a network (and of its export) that the projection answers; an argument outside
 * this list with a value (a filter added later) sends the request to the Cypher path.
 */
const PROJECTION_NETWORK_ARGS = [
  "level",
  "minWeight",
  "limit",
  "format",
  "topicIds",
  "programmeIds",
  "fromYear",
  "toYear",
  "pmRelevance",
  // networkCommunities passes its own arguments with the network's (the schema gives quality and
  // resolution defaults, so they always have a value): they choose the algorithm, not the network.
  "quality",
  "resolution",
  "seed",
  "stabilityRuns",
];

export const MAX_NETWORK_EDGES = 5000;
export const DEFAULT_NETWORK_LIMIT = 500;

/** The participations `r` of each entity `e` in the filtered projects `p`. */
const MEMBERSHIP: Record<Exclude<NetworkLevel, "FUNDER">, string> = {
  COUNTRY: participationsByCountry("e"),
  // Participations of the nodes of one body (a CORDIS organisation, its curated record) count as the body's.
  ORGANISATION: `MATCH (o:Organisation)-[r:${REL.PARTICIPATES_IN}]->(p:Project) WHERE ${PROJECT_FILTER}
    WITH ${bodyOf("o", "Organisation")} AS e, p, r`,
};

interface Membership {
  id: string;
  label: string | null;
  projects: string[];
  /** Whole cents, per project. */
  amounts: unknown[];
}

/** Throws BAD_USER_INPUT (argumentName `limit`) unless 1 <= limit <= MAX_NETWORK_EDGES; returns it. */
export function checkedLimit(limit: number | null | undefined): number {
  const value = limit ?? DEFAULT_NETWORK_LIMIT;
  if (!Number.isInteger(value) || value < 1 || value > MAX_NETWORK_EDGES)
    throw badInput("limit", `must be a whole number between 1 and ${MAX_NETWORK_EDGES}, got ${value}`);
  return value;
}

/**
 * Who works with whom, cut to the heaviest `limit` edges for display. COUNTRY and ORGANISATION: two
 * entities are linked by the number of distinct projects in which both have a participant. FUNDER: by
 * the number of programmes both fund. Undirected, one edge per pair (source id < target id), no
 * self-pairs, ordered by weight desc then ids. Errors: BAD_USER_INPUT naming the argument.
 */
export async function collaborationNetwork(
  context: AnalysisContext,
  args: NetworkArgs,
): Promise<CollaborationNetwork> {
  const limit = checkedLimit(args.limit);
  return cutNetwork(context, await wholeNetwork(context, args), limit);
}

/**
 * The network's heaviest `limit` edges and the nodes they touch; `sourceCount` counts the sources of the
 * projects (programmes for FUNDER) behind the listed nodes' and edges' numbers.
 */
export async function cutNetwork(
  context: AnalysisContext,
  whole: WholeNetwork,
  limit: number,
): Promise<CollaborationNetwork> {
  if (whole.cut && whole.sourceCountOf) {
    const { nodes, edges, totalEdges } = whole.cut(limit);
    return {
      nodes,
      edges,
      totalEdges,
      description: whole.description,
      sourceCount: whole.sourceCountOf(new Set(nodes.map((node) => node.key))),
      coverageRequest: whole.coverageRequest,
    };
  }
  const edges = whole.edges.slice(0, limit);
  const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const nodes = whole.nodes.filter((node) => used.has(node.key));
  const records = [...nodes.flatMap((node) => node.records), ...edges.flatMap((edge) => edge.records ?? [])];
  return {
    nodes: nodes.map(({ records: _, ...node }) => node),
    edges: edges.map(({ records: _, ...edge }) => edge),
    totalEdges: whole.edges.length,
    description: whole.description,
    coverageRequest: whole.coverageRequest,
    sourceCount: whole.sourceCountOf
      ? whole.sourceCountOf(new Set(nodes.map((node) => node.key)))
      : await sourceCountOf(context, records),
  };
}

/** The whole network of a definition: every edge passing minWeight, the nodes with at least one of them. */
export async function wholeNetwork(context: AnalysisContext, args: NetworkDefinition): Promise<WholeNetwork> {
  const minWeight = args.minWeight ?? 1;
  if (minWeight < 0) throw badInput("minWeight", `must not be negative, got ${minWeight}`);
  const filters = await projectFilterParams(context, args);
  const network = await networkOf(context, args, filters, minWeight);
  // Assigned, not spread: a network from the projection makes its nodes and edges only when read.
  return Object.assign(network, {
    coverageRequest: {
      params: filters,
      memberships: args.level === "FUNDER" ? "ALL" : null,
      thresholds: [],
    } satisfies CoverageRequest,
  });
}

/** The network of a definition, its filters checked (wholeNetwork). */
async function networkOf(
  context: AnalysisContext,
  args: NetworkDefinition,
  filters: Record<string, unknown>,
  minWeight: number,
): Promise<Omit<WholeNetwork, "coverageRequest">> {
  if (args.level === "FUNDER") {
    // Funders are linked by the programmes they co-fund, and a programme has no tier: a tier filter
    // would be silently ignored, so it is refused.
    if (filters.pmRelevance)
      throw badInput(
        "pmRelevance",
        "the FUNDER network links programmes, which have no PM relevance tier; use COUNTRY or ORGANISATION",
      );
    return funderNetwork(context, filters, minWeight);
  }

  const kind = args.level === "COUNTRY" ? "Country" : "Organisation";
  const description =
    `${kind} network: an edge counts the distinct projects in which both ends have a participant ` +
    "(weight = projects); amountEur sums the EU contributions to both ends' participants in those projects; " +
    "a node's weight counts its distinct projects. Only nodes with at least one kept edge are listed.";
  const projection = await projectionFor(context, args, PROJECTION_NETWORK_ARGS);
  if (projection) {
    const network = projectionNetwork(
      projection,
      args.level,
      filteredProjects(projection, filters),
      minWeight,
    );
    // The whole network's objects are made only when asked (metrics, exports), once per network.
    let nodes: WholeNetwork["nodes"] | undefined;
    let edges: WholeNetwork["edges"] | undefined;
    return {
      get nodes() {
        nodes ??= network.nodes().map((node) => ({ ...node, records: [] }));
        return nodes;
      },
      get edges() {
        edges ??= network.edges();
        return edges;
      },
      description,
      sourceCountOf: network.sourceCountOf,
      cut: (limit) => ({ ...network.cut(limit), totalEdges: network.totalEdges }),
      columns: network.columns,
      pairCodes: network.pairCodes,
    };
  }

  // Neo4j gives who is in which project; the pairs are counted here, where it is a tight loop over
  // integers instead of hundreds of thousands of Cypher rows.
  const members = await readQuery<Membership>(
    context,
    `${MEMBERSHIP[args.level]}
     WITH e, p, sum(${centsOf("r.contribution")}) AS cents
     WITH e, collect(p.id) AS projects, collect(cents) AS amounts
     RETURN e.id AS id, e.name AS label, projects, amounts`,
    filters,
  );
  const edges = sharedProjectEdges(members, minWeight);
  return {
    nodes: nodesOf(
      edges,
      members.map((member) => ({
        key: member.id,
        label: member.label ?? member.id,
        kind,
        weight: member.projects.length,
        records: member.projects,
      })),
    ),
    edges,
    description,
  };
}

/**
 * Every pair of entities that share at least `minWeight` projects, heaviest first then by ids, with the
 * EU contributions of both ends in their shared projects summed in whole cents.
 */
export function sharedProjectEdges(members: readonly Membership[], minWeight: number): NetworkEdge[] {
  // Entities by index in id order, so that a pair (i < j) has source id < target id.
  const ordered = [...members].sort((a, b) => compareIds(a.id, b.id));
  const inProject = new Map<string, { entity: number; cents: number }[]>();
  ordered.forEach((member, entity) => {
    member.projects.forEach((project, k) => {
      const list = inProject.get(project);
      const entry = { entity, cents: toNumber(member.amounts[k]) };
      if (list) list.push(entry);
      else inProject.set(project, [entry]);
    });
  });
  const size = ordered.length;
  const pairs = new Map<number, { projects: number; cents: number }>();
  for (const list of inProject.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [a, b] = list[x]!.entity < list[y]!.entity ? [list[x]!, list[y]!] : [list[y]!, list[x]!];
        const key = a.entity * size + b.entity;
        const pair = pairs.get(key);
        if (pair) {
          pair.projects += 1;
          pair.cents += a.cents + b.cents;
        } else pairs.set(key, { projects: 1, cents: a.cents + b.cents });
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
      amountEur: eurFromCents(pair.cents),
    });
  }
  return kept.sort(byWeightThenIds);
}

const byWeightThenIds = (a: NetworkEdge, b: NetworkEdge) =>
  b.weight - a.weight || compareIds(a.source, b.source) || compareIds(a.target, b.target);

/** Code-unit order, as Cypher's ORDER BY sorts strings (localeCompare would not). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The nodes that the edges touch, heaviest first, then by id. */
function nodesOf<T extends NetworkNode>(edges: readonly NetworkEdge[], all: readonly T[]): T[] {
  const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  return all
    .filter((node) => used.has(node.key))
    .sort((a, b) => b.weight - a.weight || compareIds(a.key, b.key));
}

async function funderNetwork(
  context: AnalysisContext,
  filters: Record<string, unknown>,
  minWeight: number,
): Promise<Omit<WholeNetwork, "coverageRequest">> {
  // A programme counts when it matches the filters itself (PROGRAMME_FILTER); the projects of an edge
  // are the filtered projects (PROJECT_FILTER) funded under its shared programmes.
  const programmes = await readQuery<{
    programme: string;
    funders: { id: string; label: string }[];
    projects: string[];
  }>(
    context,
    // Not named \`funder\`: PROGRAMME_FILTER's own subquery binds that name.
    `MATCH (g:Programme)-[:${REL.FUNDED_BY}]->(fundedBy:Funder) WHERE ${PROGRAMME_FILTER}
     WITH g, ${funderBody("fundedBy")} AS f
     WITH g, collect(DISTINCT {id: f.id, label: coalesce(f.acronym, f.name, f.id)}) AS funders
     RETURN g.id AS programme, funders,
            COLLECT { MATCH ${fundedUnder("p:Project", "g")} WHERE ${PROJECT_FILTER} RETURN DISTINCT p.id } AS projects`,
    filters,
  );
  const funders = new Map<string, { label: string; programmes: string[] }>();
  const pairs = new Map<
    string,
    { source: string; target: string; programmes: string[]; projects: Set<string> }
  >();
  for (const { programme, funders: fundedBy, projects } of programmes) {
    const ids = [...fundedBy].sort((a, b) => compareIds(a.id, b.id));
    for (const funder of ids) {
      const entry = funders.get(funder.id) ?? { label: funder.label, programmes: [] };
      entry.programmes.push(programme);
      funders.set(funder.id, entry);
    }
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const key = `${ids[x]!.id}\u0000${ids[y]!.id}`;
        const pair = pairs.get(key) ?? {
          source: ids[x]!.id,
          target: ids[y]!.id,
          programmes: [],
          projects: new Set<string>(),
        };
        pair.programmes.push(programme);
        for (const project of projects) pair.projects.add(project);
        pairs.set(key, pair);
      }
    }
  }
  const edges = [...pairs.values()]
    .filter((pair) => pair.programmes.length >= minWeight)
    .map((pair) => ({
      source: pair.source,
      target: pair.target,
      weight: pair.programmes.length,
      projects: pair.projects.size,
      amountEur: 0,
      records: [...pair.programmes, ...pair.projects],
    }))
    .sort(byWeightThenIds);
  return {
    nodes: nodesOf(
      edges,
      [...funders].map(([key, funder]) => ({
        key,
        label: funder.label,
        kind: "Funder",
        weight: funder.programmes.length,
        records: funder.programmes,
      })),
    ),
    edges,
    description:
      `Funder network: an edge counts the programmes both funders fund (${REL.FUNDED_BY}), weight = programmes; ` +
      "projects counts the distinct filtered projects funded under those programmes; a node's weight counts its programmes.",
  };
}
