import { createRequire } from "node:module";
import { UndirectedGraph } from "graphology";
import { runWorker, siblingModule } from "../util/run-worker.js";
import { seededRandom } from "../util/seeded-random.js";
import type { WholeNetwork } from "./collaboration-network.js";

// CommonJS modules whose typings declare a default export that Node's ESM loader does not provide.
const require = createRequire(import.meta.url);
const louvain: typeof import("graphology-communities-louvain").default = require("graphology-communities-louvain");
const betweennessCentrality: typeof import("graphology-metrics/centrality/betweenness.js").default = require("graphology-metrics/centrality/betweenness");
const pagerank: typeof import("graphology-metrics/centrality/pagerank.js").default = require("graphology-metrics/centrality/pagerank");

export interface NodeMetrics {
  /** The entity id (GraphQL `key`). */
  key: string;
  label: string;
  degree: number;
  weightedDegree: number;
  betweenness: number;
  pageRank: number;
  community: number;
}

export const LOUVAIN_SEED = 20161116;

/** The network as a graphology graph, nodes inserted by id so that every algorithm is deterministic. */
export function networkGraph(network: MetricsInput): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (const node of [...network.nodes].sort((a, b) => a.key.localeCompare(b.key))) {
    graph.addNode(node.key, { label: node.label });
  }
  for (const edge of network.edges) graph.addEdge(edge.source, edge.target, { weight: edge.weight });
  return graph;
}

/** What the centralities read of a network: node keys and labels, edge ends and weights. */
export interface MetricsInput {
  nodes: { key: string; label: string }[];
  edges: { source: string; target: string; weight: number }[];
}

/**
 * Networks with at least this many edges are measured on a worker thread: betweenness is O(n*m), and
 * an organisation network of a whole programme takes seconds of CPU that would otherwise stop every
 * other request, /health/live included. Smaller ones cost less than starting a worker (tens of ms).
 */
export const OFF_THREAD_EDGES = 2_000;

/**
 * Centralities with graphology (Neo4j Community has no Graph Data Science), always on the WHOLE network
 * (every edge that passes minWeight), never on the edges cut for display, so a node's metrics do not
 * depend on `limit`. degree: neighbours. weightedDegree: sum of edge weights. betweenness: normalised,
 * UNWEIGHTED (every edge is one hop; graphology would read `weight` as a distance and make a strong tie
 * a long path). pageRank and Louvain communities: weighted, a weight being the strength of a tie.
 * Sorted by weightedDegree desc, then key. Large networks are measured on a worker thread
 * (OFF_THREAD_EDGES), with the same function and so the same answer.
 */
export function metricsOf(network: Pick<WholeNetwork, "nodes" | "edges">): Promise<NodeMetrics[]> {
  // A network from the answer cache is one object for as long as its data version holds: its
  // metrics are computed once with it and dropped with it.
  const known = metricsByNetwork.get(network);
  if (known) return known;
  const input: MetricsInput = {
    nodes: network.nodes.map(({ key, label }) => ({ key, label })),
    edges: network.edges.map(({ source, target, weight }) => ({ source, target, weight })),
  };
  const metrics =
    input.edges.length >= OFF_THREAD_EDGES
      ? runWorker<NodeMetrics[]>(siblingModule(import.meta.url, "metrics-worker"), input)
      : Promise.resolve(computeMetrics(input));
  metricsByNetwork.set(network, metrics);
  // A failed computation is not kept: the next request tries again.
  metrics.catch(() => metricsByNetwork.delete(network));
  return metrics;
}

const metricsByNetwork = new WeakMap<object, Promise<NodeMetrics[]>>();

/** The centralities of metricsOf, on the calling thread (the worker's entry calls it). */
export function computeMetrics(network: MetricsInput): NodeMetrics[] {
  const graph = networkGraph(network);
  if (graph.order === 0) return [];
  const betweenness = betweennessCentrality(graph, { normalized: true, getEdgeWeight: null });
  const ranks = pagerank(graph, { getEdgeWeight: "weight" });
  const communities = louvain(graph, { getEdgeWeight: "weight", rng: seededRandom(LOUVAIN_SEED) });
  // Community numbers in order of first appearance by node id, so that they read the same across runs.
  const renumbered = new Map<number, number>();
  return graph
    .nodes()
    .map((key) => {
      const raw = communities[key]!;
      if (!renumbered.has(raw)) renumbered.set(raw, renumbered.size);
      return {
        key,
        label: graph.getNodeAttribute(key, "label") as string,
        degree: graph.degree(key),
        weightedDegree: graph.reduceEdges(
          key,
          (sum, _edge, attributes) => sum + (attributes.weight as number),
          0,
        ),
        betweenness: betweenness[key] ?? 0,
        pageRank: ranks[key] ?? 0,
        community: renumbered.get(raw)!,
      };
    })
    .sort((a, b) => b.weightedDegree - a.weightedDegree || a.key.localeCompare(b.key));
}
