import { UndirectedGraph } from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { useEffect, useRef, useState } from "react";
import Sigma from "sigma";
import type { DashboardNetworkQuery, NetworkLevel } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import { exploreHref } from "../shared/links.js";
import { choiceParam, integerParam, useUrlState } from "../shared/url-state.js";
import { analysisFilters, type Filters, networkFilters } from "./filters.js";
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

const LABEL_SIZE = 13;
/** At most this many names on the canvas at once: the rest on hover. */
const MAX_LABELS = 40;

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
  filters,
}: {
  network: Network;
  metrics: Metrics[];
  level: NetworkLevel;
  filters: Filters;
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
        // Labels never overlap (issue 20): sigma's own grid lets long labels of neighbouring cells
        // overlap, so it shows none (density 0) and the labels chosen below are forced.
        labelDensity: 0,
        labelRenderedSizeThreshold: 0,
        labelSize: LABEL_SIZE,
        // The largest node (size 22, in pixels at the fitted zoom) stays whole inside the canvas.
        stagePadding: 32,
        zIndex: true,
      });
    } catch (error) {
      setFailure(`The network could not be drawn (WebGL unavailable?): ${(error as Error).message}`);
      return;
    }
    const sigma = renderer;
    let focus: string | null = null;
    let labelled = new Set<string>();
    // The strongest nodes (largest first) get a label when it overlaps no label already placed, as the
    // screen shows them; recomputed when the camera moves. Every other name shows on hover.
    const placeLabels = () => {
      const measure = document.createElement("canvas").getContext("2d");
      if (!measure) return;
      measure.font = `${LABEL_SIZE}px system-ui, sans-serif`;
      const boxes: [number, number, number, number][] = [];
      const chosen = new Set<string>();
      const nodes = graph
        .nodes()
        .sort(
          (a, b) =>
            graph.getNodeAttribute(b, "size") - graph.getNodeAttribute(a, "size") || a.localeCompare(b),
        );
      const { width, height } = sigma.getDimensions();
      for (const node of nodes) {
        const display = sigma.getNodeDisplayData(node);
        if (!display) continue;
        const point = sigma.framedGraphToViewport(display);
        const radius = sigma.scaleSize(display.size);
        const textWidth = measure.measureText(graph.getNodeAttribute(node, "label")).width;
        const box: [number, number, number, number] = [
          point.x + radius + 2,
          point.y - LABEL_SIZE / 2 - 2,
          point.x + radius + 5 + textWidth,
          point.y + LABEL_SIZE / 2 + 2,
        ];
        if (box[2] > width || box[0] < 0 || box[1] < 0 || box[3] > height) continue;
        if (
          boxes.some(
            (other) => box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3],
          )
        ) {
          continue;
        }
        boxes.push(box);
        chosen.add(node);
        if (chosen.size >= MAX_LABELS) break;
      }
      labelled = chosen;
      element.dataset.labelled = JSON.stringify([...chosen]);
    };
    sigma.setSetting("nodeReducer", (node, attributes) =>
      focus && node !== focus && !graph.areNeighbors(node, focus)
        ? { ...attributes, color: "#e2e6ea", label: "", zIndex: 0 }
        : {
            ...attributes,
            zIndex: 1,
            forceLabel: node === focus || (!focus && labelled.has(node)),
            label: node === focus || labelled.has(node) ? attributes.label : "",
          },
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
    const explore = (node: string) => exploreHref(node, analysisFilters(filters));
    sigma.on("clickNode", ({ node }) => {
      window.location.assign(explore(node));
    });
    sigma.on("enterNode", () => {
      element.style.cursor = "pointer";
    });
    sigma.on("leaveNode", () => {
      element.style.cursor = "";
    });
    // Where each node is drawn (CSS pixels in the container), so that a test or an assistive tool can
    // find a node on the canvas.
    const positions = () => {
      const out: Record<string, [number, number]> = {};
      graph.forEachNode((node) => {
        const display = sigma.getNodeDisplayData(node);
        if (!display) return;
        const point = sigma.framedGraphToViewport(display);
        out[node] = [Math.round(point.x), Math.round(point.y)];
      });
      element.dataset.nodePositions = JSON.stringify(out);
    };
    sigma.on("afterRender", positions);
    // setSetting above only scheduled a refresh: until a render has processed the graph, the display
    // data hold raw graph coordinates, and labels placed from them fell off the screen (none shown).
    sigma.refresh();
    placeLabels();
    sigma.refresh({ skipIndexation: true });
    const camera = sigma.getCamera();
    let pending = 0;
    const onCamera = () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        placeLabels();
        sigma.refresh({ skipIndexation: true });
      });
    };
    camera.on("updated", onCamera);
    setFailure(null);
    setDrawn({ nodes: graph.order, edges: graph.size });
    return () => {
      cancelAnimationFrame(pending);
      camera.off("updated", onCamera);
      sigma.kill();
      setDrawn(null);
    };
  }, [network, metrics, filters]);

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
          Labels of the strongest nodes are shown; hover a node to see its name and links, click it to explore
          it.
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
            <dd title={focused.key}>
              <span className="swatch" style={{ background: communityColour(focused.community) }} />{" "}
              {focused.label}
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
          <div className="table-scroll">
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
                      <a href={exploreHref(metric.key, analysisFilters(filters))}>{metric.label}</a>
                    </td>
                    <td className="num">{number(metric.weightedDegree)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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

/** The /export route's query for the network as drawn (same level, weights and filters, same limit). */
function exportQuery(level: NetworkLevel, minWeight: number, filters: Filters): string {
  const params = new URLSearchParams({ level, minWeight: String(minWeight), limit: "2000" });
  for (const topic of filters.topicIds) params.append("topicIds", topic);
  for (const funder of filters.funderIds) params.append("funderIds", funder);
  if (filters.fromYear != null) params.set("fromYear", String(filters.fromYear));
  if (filters.toYear != null) params.set("toYear", String(filters.toYear));
  if (level !== "FUNDER") for (const tier of filters.pmRelevance) params.append("pmRelevance", tier);
  return params.toString();
}

/** The level (`?level=ORGANISATION`) and the least weight of a link (`?links=2`) in the URL. */
const LEVEL_PARAM = choiceParam<NetworkLevel>(
  "level",
  LEVELS.map((option) => option.id),
);
const MIN_WEIGHT_PARAM = integerParam("links", 1, 1_000_000);

export function NetworkPanel({ filters }: { filters: Filters }) {
  const [level, setLevel] = useUrlState<NetworkLevel>(LEVEL_PARAM, "COUNTRY");
  const [minWeight, setMinWeight] = useUrlState(MIN_WEIGHT_PARAM, 1);
  const state = useQuery(NetworkQuery, { level, minWeight, ...networkFilters(filters, level) });
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
              <>
                <div className="panel-tools">
                  <CsvButton
                    filename={`network-${level.toLowerCase()}-nodes.csv`}
                    testId="network-nodes-csv"
                    header={[
                      "key",
                      "label",
                      "kind",
                      "weight",
                      "degree",
                      "weighted_degree",
                      "betweenness",
                      "page_rank",
                      "community",
                    ]}
                    rows={() => {
                      const byKey = new Map(data.networkMetrics.map((metric) => [metric.key, metric]));
                      return data.collaborationNetwork.nodes.map((node) => {
                        const metric = byKey.get(node.key);
                        return [
                          node.key,
                          node.label,
                          node.kind,
                          node.weight,
                          metric?.degree,
                          metric?.weightedDegree,
                          metric?.betweenness,
                          metric?.pageRank,
                          metric?.community,
                        ];
                      });
                    }}
                  />
                  <CsvButton
                    filename={`network-${level.toLowerCase()}-edges.csv`}
                    testId="network-edges-csv"
                    header={["source", "target", "weight", "projects", "amount_eur"]}
                    rows={() =>
                      data.collaborationNetwork.edges.map((edge) => [
                        edge.source,
                        edge.target,
                        edge.weight,
                        edge.projects,
                        edge.amountEur,
                      ])
                    }
                  />
                  <a href={`/export/network.graphml?${exportQuery(level, minWeight, filters)}`} download>
                    GraphML (Gephi, networkx)
                  </a>
                </div>
                <NetworkDrawing
                  network={data.collaborationNetwork}
                  metrics={data.networkMetrics}
                  level={level}
                  filters={filters}
                />
              </>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
