/** The collaboration network as a graphology graph, laid out for drawing. */
import { UndirectedGraph } from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import type { DashboardNetworkQuery } from "../generated/graphql.js";
import { communityColour } from "./format.js";

export type Network = DashboardNetworkQuery["collaborationNetwork"];
export type Metrics = DashboardNetworkQuery["networkMetrics"][number];

export interface NodeAttributes {
  label: string;
  x: number;
  y: number;
  size: number;
  color: string;
  community: number;
}

/**
 * The network as a graphology graph: nodes sized by weighted degree and coloured by Louvain community,
 * placed on a circle by community, then spread by a fixed number of ForceAtlas2 steps (deterministic).
 */
export function networkGraph(network: Network, metrics: Metrics[]): UndirectedGraph<NodeAttributes> {
  const byId = new Map(metrics.map((metric) => [metric.key, metric]));
  const maxWeighted = Math.max(1, ...metrics.map((metric) => metric.weightedDegree));
  const maxEdge = Math.max(1, ...network.edges.map((edge) => edge.weight));
  const ordered = [...network.nodes].sort(
    (a, b) =>
      (byId.get(a.key)?.community ?? 0) - (byId.get(b.key)?.community ?? 0) || a.key.localeCompare(b.key),
  );
  const graph = new UndirectedGraph<NodeAttributes>();
  ordered.forEach((node, index) => {
    const metric = byId.get(node.key);
    const angle = (2 * Math.PI * index) / ordered.length;
    const community = metric?.community ?? 0;
    graph.addNode(node.key, {
      label: node.label,
      x: 100 * Math.cos(angle),
      y: 100 * Math.sin(angle),
      size: 4 + 18 * Math.sqrt((metric?.weightedDegree ?? 0) / maxWeighted),
      color: communityColour(community),
      community,
    });
  });
  for (const edge of network.edges) {
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
    graph.mergeEdge(edge.source, edge.target, {
      weight: edge.weight,
      size: 0.5 + 5 * (edge.weight / maxEdge),
      color: "#b7c3cf",
    });
  }
  if (graph.order > 2) {
    forceAtlas2.assign(graph, {
      iterations: graph.order > 300 ? 60 : 150,
      // Strong gravity keeps loosely attached nodes and small components near the core, so that the
      // camera (which fits every node) does not shrink the dense part to a dot.
      settings: {
        ...forceAtlas2.inferSettings(graph),
        strongGravityMode: true,
        gravity: 0.5,
        barnesHutOptimize: graph.order > 300,
      },
      getEdgeWeight: "weight",
    });
  }
  return graph;
}
