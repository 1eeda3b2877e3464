import { REL } from "../model/relationships.js";
import type { AnalysisContext } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { AnalysisProjection } from "./analysis-projection.js";
import type { CoverageRequest } from "./coverage.js";
import { type CheckedFilters, type ProjectFilters, projectFilterParams } from "./project-filters.js";
import { filteredProjects } from "./projection-analyses.js";
import {
  filteredProgrammes,
  projectionFunderNetwork,
  recordSourceCount,
} from "./projection-funder-network.js";
import { type ProjectionNetwork, projectionNetworkSliced } from "./projection-network.js";
import { analysisProjection } from "./projection-store.js";

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
   * The sourceCount of what a cut lists: the distinct sources of the projects of the listed nodes
   * (COUNTRY, ORGANISATION: their nodes' `records` are empty) or of the `records` behind the listed
   * nodes' and edges' numbers (FUNDER: projects and programmes), computed on the analysis projection.
   * `records` is called only by a network that counts by them: listing them from a whole organisation
   * network would make an object of each of its hundreds of thousands of edges.
   */
  sourceCount: (nodeKeys: ReadonlySet<string>, records: () => Iterable<string>) => number;
  /**
   * From the analysis projection: the heaviest `limit` edges and the nodes they touch, made without
   * making every edge (`nodes` and `edges` are then made on first use, for the metrics and exports),
   * and how many edges the whole network has.
   */
  cut?: (limit: number) => { nodes: NetworkNode[]; edges: NetworkEdge[]; totalEdges: number };
  /** From the analysis projection: the whole network by index, without an object per edge (ProjectionNetwork). */
  columns?: ProjectionNetwork["columns"];
  /** From the analysis projection: node keys and pairs by entity rank (ProjectionNetwork). */
  pairColumns?: ProjectionNetwork["pairColumns"];
}

export const MAX_NETWORK_EDGES = 5000;
export const DEFAULT_NETWORK_LIMIT = 500;

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
  return cutNetwork(await wholeNetwork(context, args), limit);
}

/**
 * The network's heaviest `limit` edges and the nodes they touch; `sourceCount` counts the sources of the
 * projects (programmes for FUNDER) behind the listed nodes' and edges' numbers.
 */
export function cutNetwork(whole: WholeNetwork, limit: number): CollaborationNetwork {
  if (whole.cut) {
    const { nodes, edges, totalEdges } = whole.cut(limit);
    return {
      nodes,
      edges,
      totalEdges,
      description: whole.description,
      sourceCount: whole.sourceCount(new Set(nodes.map((node) => node.key)), () => []),
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
    sourceCount: whole.sourceCount(new Set(nodes.map((node) => node.key)), () => records),
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

/**
 * The network of a definition, its filters checked (wholeNetwork), computed on the analysis projection
 * (the one engine: analysisProjection). Errors: BAD_USER_INPUT (`pmRelevance` on a FUNDER network).
 */
async function networkOf(
  context: AnalysisContext,
  args: NetworkDefinition,
  filters: CheckedFilters,
  minWeight: number,
): Promise<Omit<WholeNetwork, "coverageRequest">> {
  // Funders are linked by the programmes they co-fund, and a programme has no tier: a tier filter
  // would be silently ignored, so it is refused.
  if (args.level === "FUNDER" && filters.pmRelevance)
    throw badInput(
      "pmRelevance",
      "the FUNDER network links programmes, which have no PM relevance tier; use COUNTRY or ORGANISATION",
    );
  const projection = await analysisProjection(context);
  const projects = filteredProjects(projection, filters);
  if (args.level === "FUNDER") return funderNetwork(projection, filters, projects, minWeight);
  const kind = args.level === "COUNTRY" ? "Country" : "Organisation";
  // Sliced: an organisation network's pair counting would otherwise hold the event loop for hundreds of ms.
  const network = await projectionNetworkSliced(projection, args.level, projects, minWeight);
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
    description:
      `${kind} network: an edge counts the distinct projects in which both ends have a participant ` +
      "(weight = projects); amountEur sums the EU contributions to both ends' participants in those projects; " +
      "a node's weight counts its distinct projects. Only nodes with at least one kept edge are listed.",
    sourceCount: (nodeKeys) => network.sourceCountOf(nodeKeys),
    cut: (limit) => ({ ...network.cut(limit), totalEdges: network.totalEdges }),
    columns: network.columns,
    pairColumns: network.pairColumns,
  };
}

/** The FUNDER network of the filtered programmes and projects (projection-funder-network.ts). */
function funderNetwork(
  projection: AnalysisProjection,
  filters: CheckedFilters,
  projects: Uint8Array,
  minWeight: number,
): Omit<WholeNetwork, "coverageRequest"> {
  const { nodes, edges } = projectionFunderNetwork(
    projection,
    filteredProgrammes(projection, filters),
    projects,
    minWeight,
  );
  return {
    nodes,
    edges,
    description:
      `Funder network: an edge counts the programmes both funders fund (${REL.FUNDED_BY}), weight = programmes; ` +
      "projects counts the distinct filtered projects funded under those programmes; a node's weight counts its programmes.",
    sourceCount: (_nodeKeys, records) => recordSourceCount(projection, records()),
  };
}
