import { createRequire } from "node:module";
import { UndirectedGraph } from "graphology";
import { seededRandom } from "../util/seeded-random.js";
import type { CollaborationNetwork } from "./collaboration-network.js";

// CommonJS modules whose typings declare a default export that Node's ESM loader does not provide.
const require = createRequire(import.meta.url);
const louvain: typeof import("graphology-communities-louvain").default = require("graphology-communities-louvain");
const betweennessCentrality: typeof import("graphology-metrics/centrality/betweenness.js").default = require("graphology-metrics/centrality/betweenness");
const pagerank: typeof import("graphology-metrics/centrality/pagerank.js").default = require("graphology-metrics/centrality/pagerank");

export interface NodeMetrics {
  id: string;
  label: string;
  degree: number;
  weightedDegree: number;
  betweenness: number;
  pageRank: number;
  community: number;
}

export const LOUVAIN_SEED = 20161116;

export function networkGraph(network: CollaborationNetwork): UndirectedGraph {
  const graph = new UndirectedGraph();
  // Insertion in a fixed order (nodes by id) keeps every algorithm deterministic.
  for (const node of [...network.nodes].sort((a, b) => a.id.localeCompare(b.id))) {
    graph.addNode(node.id, { label: node.label });
  }
  for (const edge of network.edges) graph.addEdge(edge.source, edge.target, { weight: edge.weight });
  return graph;
}

/** Centralities with graphology on the collaboration network (Neo4j Community has no Graph Data Science). */
export function metricsOf(network: CollaborationNetwork): NodeMetrics[] {
  const graph = networkGraph(network);
  if (graph.order === 0) return [];
  const betweenness = betweennessCentrality(graph, { normalized: true });
  const ranks = pagerank(graph, { getEdgeWeight: "weight" });
  const communities = louvain(graph, { getEdgeWeight: "weight", rng: seededRandom(LOUVAIN_SEED) });
  // Community numbers in order of first appearance by node id, so that they read the same across runs.
  const renumbered = new Map<number, number>();
  return graph
    .nodes()
    .map((id) => {
      const raw = communities[id]!;
      if (!renumbered.has(raw)) renumbered.set(raw, renumbered.size);
      return {
        id,
        label: graph.getNodeAttribute(id, "label") as string,
        degree: graph.degree(id),
        weightedDegree: graph.reduceEdges(
          id,
          (sum, _edge, attributes) => sum + (attributes.weight as number),
          0,
        ),
        betweenness: betweenness[id] ?? 0,
        pageRank: ranks[id] ?? 0,
        community: renumbered.get(raw)!,
      };
    })
    .sort((a, b) => b.weightedDegree - a.weightedDegree || a.id.localeCompare(b.id));
}
