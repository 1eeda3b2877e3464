import { UndirectedGraph } from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { useEffect, useRef, useState } from "react";
import Sigma from "sigma";
import type { DashboardNetworkQuery, NetworkLevel } from "../generated/graphql.js";
import { analysisFilters, type Filters } from "./filters.js";
import { communityColour, count, eur, number } from "./format.js";
import { NetworkQuery } from "./queries.js";
import { Described, Empty, ErrorMessage, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type Network = DashboardNetworkQuery["collaborationNetwork"];
type Metrics = DashboardNetworkQuery["networkMetrics"][number];

const LEVELS: { id: NetworkLevel; label: string }[] = [
  { id: "COUNTRY", label: "Countries" },
  { id: "ORGANISATION", label: "Organisations" },
  { id: "FUNDER", label: "Funders" },
];

interface NodeAttributes {
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

function NetworkDrawing({
  network,
  metrics,
  level,
}: {
  network: Network;
  metrics: Metrics[];
  level: NetworkLevel;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<{ nodes: number; edges: number } | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const graph = networkGraph(network, metrics);
    let renderer: Sigma<NodeAttributes> | undefined;
    try {
      renderer = new Sigma<NodeAttributes>(graph, element, {
        labelFont: "system-ui, -apple-system, 'Segoe UI', sans-serif",
        labelRenderedSizeThreshold: level === "ORGANISATION" ? 8 : 0,
        labelDensity: level === "ORGANISATION" ? 0.4 : 1,
        zIndex: true,
      });
    } catch (error) {
      setFailure(`The network could not be drawn (WebGL unavailable?): ${(error as Error).message}`);
      return;
    }
    const sigma = renderer;
    let focus: string | null = null;
    sigma.setSetting("nodeReducer", (node, attributes) =>
      focus && node !== focus && !graph.areNeighbors(node, focus)
        ? { ...attributes, color: "#e2e6ea", label: "", zIndex: 0 }
        : { ...attributes, zIndex: 1 },
    );
    sigma.setSetting("edgeReducer", (edge, attributes) =>
      focus && !graph.hasExtremity(edge, focus) ? { ...attributes, hidden: true } : attributes,
    );
    sigma.on("enterNode", ({ node }) => {
      focus = node;
      setHovered(node);
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on("leaveNode", () => {
      focus = null;
      setHovered(null);
      sigma.refresh({ skipIndexation: true });
    });
    setFailure(null);
    setDrawn({ nodes: graph.order, edges: graph.size });
    return () => {
      sigma.kill();
      setDrawn(null);
    };
  }, [network, metrics, level]);

  const byId = new Map(metrics.map((metric) => [metric.key, metric]));
  const top = [...metrics].sort((a, b) => b.weightedDegree - a.weightedDegree).slice(0, 10);
  const focused = hovered ? byId.get(hovered) : undefined;
  const communities = new Set(metrics.map((metric) => metric.community)).size;

  return (
    <div className="network">
      <div className="network-stage">
        <div
          ref={container}
          className="network-canvas"
          data-testid="network-canvas"
          data-drawn={drawn ? "true" : "false"}
          role="img"
          aria-label={`Collaboration network: ${network.nodes.length} nodes, ${network.edges.length} edges`}
        />
        {failure ? <ErrorMessage what="the network drawing" error={failure} /> : null}
        <p className="caption">
          <span data-testid="network-node-count">{drawn?.nodes ?? 0}</span> nodes,{" "}
          <span data-testid="network-edge-count">{drawn?.edges ?? 0}</span> edges, {communities}{" "}
          {communities === 1 ? "community" : "communities"}. Size: weighted degree; colour: Louvain community.
          Hover a node to see its links.
          {network.totalEdges > network.edges.length ? (
            <span data-testid="network-cut">
              {" "}
              Only the {number(network.edges.length)} strongest of {number(network.totalEdges)} links are
              drawn, and the metrics are computed on them: raise “at least” to focus.
            </span>
          ) : null}
        </p>
      </div>
      <aside className="network-side">
        {focused ? (
          <dl className="node-details" data-testid="node-details">
            <dt>Node</dt>
            <dd>
              <span className="swatch" style={{ background: communityColour(focused.community) }} />{" "}
              {focused.label}
              <br />
              <code>{focused.key}</code>
            </dd>
            <dt>Degree / weighted</dt>
            <dd>
              {focused.degree} / {number(focused.weightedDegree)}
            </dd>
            <dt>Betweenness</dt>
            <dd>{number(focused.betweenness)}</dd>
            <dt>PageRank</dt>
            <dd>{number(focused.pageRank)}</dd>
            <dt>Community</dt>
            <dd>{focused.community}</dd>
          </dl>
        ) : (
          <table className="top-nodes">
            <caption>Most connected</caption>
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col" title="Weighted degree">
                  W. degree
                </th>
              </tr>
            </thead>
            <tbody>
              {top.map((metric) => (
                <tr key={metric.key}>
                  <td>
                    <span className="swatch" style={{ background: communityColour(metric.community) }} />{" "}
                    {metric.label}
                  </td>
                  <td className="num">{number(metric.weightedDegree)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="hint">
          Strongest link:{" "}
          {network.edges[0]
            ? `${byId.get(network.edges[0].source)?.label ?? network.edges[0].source} – ${
                byId.get(network.edges[0].target)?.label ?? network.edges[0].target
              }: ${count(network.edges[0].weight)} (${
                level === "FUNDER" ? "programmes" : `projects, ${eur(network.edges[0].amountEur)}`
              })`
            : "none"}
        </p>
      </aside>
    </div>
  );
}

export function NetworkPanel({ filters }: { filters: Filters }) {
  const [level, setLevel] = useState<NetworkLevel>("COUNTRY");
  const [minWeight, setMinWeight] = useState(1);
  const state = useQuery(NetworkQuery, { level, minWeight, ...analysisFilters(filters) });
  return (
    <section className="panel" data-testid="network-panel" aria-labelledby="network-title">
      <header>
        <h2 id="network-title">Collaboration network</h2>
        <label className="min-weight">
          at least{" "}
          <input
            type="number"
            min={1}
            step={1}
            value={minWeight}
            onChange={(event) => setMinWeight(Math.max(1, Math.floor(Number(event.target.value) || 1)))}
            data-testid="min-weight"
          />{" "}
          shared {level === "FUNDER" ? "programmes" : "projects"} per link
        </label>
        <fieldset className="segmented">
          <legend>Level</legend>
          {LEVELS.map((option) => (
            <label key={option.id} className={option.id === level ? "active" : ""}>
              <input
                type="radio"
                name="level"
                value={option.id}
                checked={option.id === level}
                onChange={() => setLevel(option.id)}
                data-testid={`level-${option.id}`}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      </header>
      <QueryView state={state} what="the collaboration network">
        {(data) => (
          <>
            <Described answer={data.collaborationNetwork} />
            {data.collaborationNetwork.nodes.length === 0 ? (
              <Empty>
                No collaborations match these filters: no two{" "}
                {LEVELS.find((option) => option.id === level)?.label.toLowerCase()} share a{" "}
                {level === "FUNDER" ? "programme" : "project"}.
              </Empty>
            ) : (
              <NetworkDrawing
                network={data.collaborationNetwork}
                metrics={data.networkMetrics}
                level={level}
              />
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
