import { badInput } from "./analysis-error.js";
import type { WholeNetwork } from "./collaboration-network.js";
import type { CoverageRequest } from "./coverage.js";
import { type ColumnGraph, columnsOf, type IndexedGraph, type LeidenQuality } from "./leiden.js";
import { leidenRunsOffThread } from "./leiden-runs.js";

export interface CommunityArgs {
  quality?: LeidenQuality | null | undefined;
  resolution?: number | null | undefined;
  seed?: number | null | undefined;
  /** Further runs, with seeds seed+1 .. seed+runs-1, to state how stable the communities are. */
  stabilityRuns?: number | null | undefined;
}

export const DEFAULT_COMMUNITY_SEED = 20161116;
export const MAX_STABILITY_RUNS = 50;

export interface Community {
  /** 0.., largest first (then by the smallest member key). */
  index: number;
  size: number;
  /** Member keys, in key order. */
  members: string[];
  /** Weight of the edges inside it. */
  internalWeight: number;
  /** Sum of its members' weighted degrees. */
  totalWeight: number;
}

export interface NetworkCommunities {
  quality: LeidenQuality;
  resolution: number;
  seed: number;
  /** The quality of the partition returned (modularity, or CPM in units of edge weight). */
  value: number;
  communities: Community[];
  membership: { key: string; community: number }[];
  stability: {
    runs: number;
    /** Normalised mutual information (arithmetic mean of the entropies) of each other run with this one: mean and minimum. */
    meanAgreement: number;
    minAgreement: number;
    /** Runs that found exactly this partition (this one included). */
    identicalRuns: number;
    minValue: number;
    maxValue: number;
  };
  description: string;
  sourceCount: number;
  coverageRequest: CoverageRequest;
}

/** Checks the arguments; throws BAD_USER_INPUT naming the argument. */
export function checkedCommunityArgs(
  args: CommunityArgs,
): Required<{ [K in keyof CommunityArgs]: NonNullable<CommunityArgs[K]> }> {
  const resolution = args.resolution ?? 1;
  if (!Number.isFinite(resolution) || resolution < 0)
    throw badInput("resolution", `must be a number of at least 0, got ${resolution}`);
  const seed = args.seed ?? DEFAULT_COMMUNITY_SEED;
  if (!Number.isInteger(seed)) throw badInput("seed", `must be a whole number, got ${seed}`);
  const stabilityRuns = args.stabilityRuns ?? 10;
  if (!Number.isInteger(stabilityRuns) || stabilityRuns < 1 || stabilityRuns > MAX_STABILITY_RUNS)
    throw badInput(
      "stabilityRuns",
      `must be a whole number between 1 and ${MAX_STABILITY_RUNS}, got ${stabilityRuns}`,
    );
  return { quality: args.quality ?? "MODULARITY", resolution, seed, stabilityRuns };
}

/** The network by index, nodes in key order (so that a seed gives the same answer whatever the read order). */
export function indexedNetwork(network: Pick<WholeNetwork, "nodes" | "edges">): {
  keys: string[];
  graph: IndexedGraph;
} {
  const keys = network.nodes.map((node) => node.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(keys.map((key, i) => [key, i]));
  return {
    keys,
    graph: {
      order: keys.length,
      edges: network.edges.map((edge) => ({
        source: index.get(edge.source)!,
        target: index.get(edge.target)!,
        weight: edge.weight,
      })),
    },
  };
}

/**
 * Leiden communities of a whole network (every edge passing minWeight; leiden.ts), with the quality value
 * and the stability over `stabilityRuns` seeds (seed, seed+1, ...): normalised mutual information of
 * each other run with the returned one, and how many found the same partition. Communities are
 * numbered largest first, then by their smallest member key.
 */
export async function networkCommunities(
  whole: WholeNetwork,
  args: CommunityArgs,
): Promise<NetworkCommunities> {
  const { quality, resolution, seed, stabilityRuns } = checkedCommunityArgs(args);
  // From the projection: columns straight from its typed arrays, no object per edge on this thread.
  const { keys, graph } = whole.columns?.() ?? indexedNetwork(whole);
  const { main, values, agreements, identical } = await leidenRunsOffThread({
    graph,
    quality,
    resolution,
    seed,
    stabilityRuns,
  });
  return {
    quality,
    resolution,
    seed,
    value: main.quality,
    ...communitiesOf(keys, columnsOf(graph), main.membership),
    stability: {
      runs: stabilityRuns,
      meanAgreement: agreements.length ? agreements.reduce((a, b) => a + b, 0) / agreements.length : 1,
      minAgreement: agreements.length ? Math.min(...agreements) : 1,
      identicalRuns: identical,
      minValue: Math.min(...values),
      maxValue: Math.max(...values),
    },
    description: `Leiden communities (Traag, Waltman and van Eck 2019) of the whole network, maximising ${
      quality === "MODULARITY"
        ? "modularity with resolution gamma: Q = sum over communities of [internal weight / m - gamma (total degree / 2m)^2]"
        : "the constant Potts model: H = sum over communities of [internal weight - gamma n(n-1)/2]"
    }, gamma = ${resolution}, seed ${seed}; stability over ${stabilityRuns} seeds (seed, seed+1, ...).`,
    sourceCount: whole.sourceCount(new Set(keys), () => [
      ...whole.nodes.flatMap((node) => node.records),
      ...whole.edges.flatMap((edge) => edge.records ?? []),
    ]),
    coverageRequest: whole.coverageRequest,
  };
}

/**
 * The communities of a membership (ids 0..count-1 by node index; keys in order), largest first, then
 * by their smallest member key, and each node's community in that numbering.
 */
function communitiesOf(
  keys: string[],
  graph: ColumnGraph,
  membership: Int32Array,
): Pick<NetworkCommunities, "communities" | "membership"> {
  let count = 0;
  for (const c of membership) count = Math.max(count, c + 1);
  const strength = new Float64Array(keys.length);
  const internal = new Float64Array(count);
  for (let k = 0; k < graph.source.length; k++) {
    const weight = graph.weight[k]!;
    strength[graph.source[k]!]! += weight;
    strength[graph.target[k]!]! += weight;
    const c = membership[graph.source[k]!]!;
    if (c === membership[graph.target[k]!]) internal[c]! += weight;
  }
  const groups: number[][] = Array.from({ length: count }, () => []);
  membership.forEach((c, i) => {
    groups[c]!.push(i);
  });
  // Keys are in order, so a group's first index is its smallest key.
  const ordered = groups
    .map((members, c) => ({ c, members }))
    .filter(({ members }) => members.length > 0)
    .sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!);
  const renumbered = new Int32Array(count);
  ordered.forEach(({ c }, index) => {
    renumbered[c] = index;
  });
  return {
    communities: ordered.map(({ c, members }, index) => ({
      index,
      size: members.length,
      members: members.map((i) => keys[i]!),
      internalWeight: internal[c]!,
      totalWeight: members.reduce((sum, i) => sum + strength[i]!, 0),
    })),
    membership: keys.map((key, i) => ({ key, community: renumbered[membership[i]!]! })),
  };
}
