import { UndirectedGraph } from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { useEffect, useRef, useState } from "react";
import Sigma from "sigma";
import type { NodeHoverDrawingFunction, NodeLabelDrawingFunction } from "sigma/rendering";
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
const LABEL_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const LABEL_COLOUR = "#1a2633";
/** At most this many names on the canvas at once: the rest on hover. */
const MAX_LABELS = 40;
/** Space kept between a label and the next label or the canvas edge (CSS pixels). */
const LABEL_GAP = 2;

/** A label's side of its node: right of it, as sigma draws, or left when the right has no room. */
type Side = "right" | "left";

/** A rectangle in CSS pixels of the canvas: left, top, right, bottom. */
type Box = [number, number, number, number];

const intersects = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** The box lies inside a canvas of this size, `LABEL_GAP` from every edge. */
const inside = (box: Box, width: number, height: number) =>
  box[0] >= LABEL_GAP && box[1] >= LABEL_GAP && box[2] <= width - LABEL_GAP && box[3] <= height - LABEL_GAP;

/** The text, shortened with an ellipsis when it is wider than `maxWidth` in the context's font. */
function fitText(context: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (context.measureText(text).width <= maxWidth) return text;
  let end = text.length;
  while (end > 1 && context.measureText(`${text.slice(0, end).trimEnd()}…`).width > maxWidth) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * Where a label beside a node (centre x, y and radius in CSS pixels) is drawn on `side`, and the box
 * its glyphs cover, grown by LABEL_GAP: measured with the context's own font, so that the box holds
 * what fillText paints. The baseline is sigma's (a third of the font size below the centre).
 */
function labelPlace(
  context: CanvasRenderingContext2D,
  label: string,
  x: number,
  y: number,
  radius: number,
  side: Side,
): { x: number; baseline: number; box: Box } {
  const metrics = context.measureText(label);
  const baseline = y + LABEL_SIZE / 3;
  const textX = side === "right" ? x + radius + 3 : x - radius - 3 - metrics.width;
  // The font's ascent and descent, not this text's: two labels on one line are as tall whatever their letters.
  const ascent = Math.max(metrics.actualBoundingBoxAscent, metrics.fontBoundingBoxAscent || LABEL_SIZE);
  const descent = Math.max(
    metrics.actualBoundingBoxDescent,
    metrics.fontBoundingBoxDescent || LABEL_SIZE / 3,
  );
  return {
    x: textX,
    baseline,
    box: [
      textX - Math.max(0, metrics.actualBoundingBoxLeft) - LABEL_GAP,
      baseline - ascent - LABEL_GAP,
      textX + Math.max(metrics.width, metrics.actualBoundingBoxRight) + LABEL_GAP,
      baseline + descent + LABEL_GAP,
    ],
  };
}

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
    // Which nodes have a label on the canvas, and on which side of the node (placeLabels below).
    let sides = new Map<string, Side>();
    // The label boxes painted in the frame being drawn, and the nodes they name.
    let frame: Box[] = [];
    let painted: string[] = [];
    let dimensions = { width: 0, height: 0 };
    // Every label sigma draws passes here: it is painted only where it lies inside the canvas and clear
    // of the labels already painted in this frame. placeLabels chooses labels that pass; this check
    // keeps the promise in a frame drawn before they could be chosen again (the canvas was resized).
    const drawLabel: NodeLabelDrawingFunction<NodeAttributes> = (context, data, settings) => {
      if (!data.label) return;
      const key = String(data.key);
      context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
      const place = labelPlace(context, data.label, data.x, data.y, data.size, sides.get(key) ?? "right");
      if (!inside(place.box, dimensions.width, dimensions.height)) return;
      if (frame.some((other) => intersects(other, place.box))) return;
      frame.push(place.box);
      painted.push(key);
      context.fillStyle = LABEL_COLOUR;
      context.fillText(data.label, place.x, place.baseline);
    };
    // The hovered node's name on a white box, beside the node on the side with room, else moved inside
    // the canvas, and shortened with an ellipsis when it is wider than the canvas (the side panel shows
    // it in full).
    const drawHover: NodeHoverDrawingFunction<NodeAttributes> = (context, data, settings) => {
      context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
      context.shadowOffsetX = 0;
      context.shadowOffsetY = 0;
      context.shadowBlur = 8;
      context.shadowColor = "rgba(0, 0, 0, 0.5)";
      context.fillStyle = "#fff";
      context.beginPath();
      context.arc(data.x, data.y, data.size + 2, 0, Math.PI * 2);
      context.fill();
      if (data.label) {
        const { width, height } = dimensions;
        const label = fitText(context, data.label, width - 4 * LABEL_GAP - 8);
        const right = labelPlace(context, label, data.x, data.y, data.size, "right");
        const left = labelPlace(context, label, data.x, data.y, data.size, "left");
        const place = inside(right.box, width, height) || !inside(left.box, width, height) ? right : left;
        const [x0, y0, x1, y1] = place.box;
        const dx = x0 < LABEL_GAP ? LABEL_GAP - x0 : x1 > width - LABEL_GAP ? width - LABEL_GAP - x1 : 0;
        const dy = y0 < LABEL_GAP ? LABEL_GAP - y0 : y1 > height - LABEL_GAP ? height - LABEL_GAP - y1 : 0;
        context.fillRect(x0 + dx, y0 + dy, x1 - x0, y1 - y0);
        context.shadowBlur = 0;
        context.fillStyle = LABEL_COLOUR;
        context.fillText(label, place.x + dx, place.baseline + dy);
      }
      context.shadowBlur = 0;
    };
    let renderer: Sigma<NodeAttributes> | undefined;
    try {
      renderer = new Sigma<NodeAttributes>(graph, element, {
        labelFont: LABEL_FONT,
        labelColor: { color: LABEL_COLOUR },
        // sigma's label grid keeps the largest node of each cell but lets long labels of neighbouring
        // cells overlap, and it does not look at the canvas edges: it shows none (density 0), and the
        // labels chosen by placeLabels are forced.
        labelDensity: 0,
        labelRenderedSizeThreshold: 0,
        labelSize: LABEL_SIZE,
        defaultDrawNodeLabel: drawLabel,
        defaultDrawNodeHover: drawHover,
        // The largest node (size 22, in pixels at the fitted zoom) stays whole inside the canvas.
        stagePadding: 32,
        zIndex: true,
      });
    } catch (error) {
      setFailure(`The network could not be drawn (WebGL unavailable?): ${(error as Error).message}`);
      return;
    }
    const sigma = renderer;
    dimensions = sigma.getDimensions();
    let focus: string | null = null;
    // The strongest nodes (largest first) get a label, right of the node or else left of it, where it
    // lies inside the canvas and overlaps no label already placed, as the screen shows them now;
    // placed again when the camera moves or the canvas changes size. Every other name shows on hover.
    const placeLabels = () => {
      dimensions = sigma.getDimensions();
      const measure = document.createElement("canvas").getContext("2d");
      if (!measure) return;
      const settings = sigma.getSettings();
      measure.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
      const boxes: Box[] = [];
      const chosen = new Map<string, Side>();
      const nodes = graph
        .nodes()
        .sort(
          (a, b) =>
            graph.getNodeAttribute(b, "size") - graph.getNodeAttribute(a, "size") || a.localeCompare(b),
        );
      for (const node of nodes) {
        const display = sigma.getNodeDisplayData(node);
        if (!display) continue;
        const point = sigma.framedGraphToViewport(display);
        const radius = sigma.scaleSize(display.size);
        const label = graph.getNodeAttribute(node, "label");
        for (const side of ["right", "left"] as const) {
          const { box } = labelPlace(measure, label, point.x, point.y, radius, side);
          if (!inside(box, dimensions.width, dimensions.height)) continue;
          if (boxes.some((other) => intersects(other, box))) continue;
          boxes.push(box);
          chosen.set(node, side);
          break;
        }
        if (chosen.size >= MAX_LABELS) break;
      }
      sides = chosen;
    };
    sigma.setSetting("nodeReducer", (node, attributes) =>
      focus && node !== focus && !graph.areNeighbors(node, focus)
        ? { ...attributes, color: "#e2e6ea", label: "", zIndex: 0 }
        : {
            ...attributes,
            zIndex: 1,
            forceLabel: node === focus || (!focus && sides.has(node)),
            label: node === focus || sides.has(node) ? attributes.label : "",
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
    sigma.on("beforeRender", () => {
      frame = [];
      painted = [];
    });
    // Where each node is drawn (CSS pixels in the container), and which labels were painted, so that a
    // test or an assistive tool can find a node and its name on the canvas.
    const positions = () => {
      const out: Record<string, [number, number]> = {};
      graph.forEachNode((node) => {
        const display = sigma.getNodeDisplayData(node);
        if (!display) return;
        const point = sigma.framedGraphToViewport(display);
        out[node] = [Math.round(point.x), Math.round(point.y)];
      });
      element.dataset.nodePositions = JSON.stringify(out);
      element.dataset.labelled = JSON.stringify(painted);
    };
    sigma.on("afterRender", positions);
    // sigma refuses to draw into a container without a width or height (it throws): one that React
    // has just removed, or a hidden one.
    const drawable = () => element.isConnected && element.offsetWidth > 0 && element.offsetHeight > 0;
    let pending = 0;
    const placeAgain = () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        if (!drawable()) return;
        placeLabels();
        sigma.refresh({ skipIndexation: true });
      });
    };
    // sigma resizes its canvases at the start of a frame; that frame draws the labels chosen for the old
    // size (those that still fit: drawLabel), and the next one the labels chosen for the new size.
    sigma.on("resize", () => {
      dimensions = sigma.getDimensions();
      placeAgain();
    });
    // The container can change size without the window doing so (the page's layout settling): sigma
    // listens to the window only.
    let resized = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(resized);
      resized = requestAnimationFrame(() => {
        if (drawable()) sigma.refresh();
      });
    });
    observer.observe(element);
    // setSetting above only scheduled a refresh: until a render has processed the graph, the display
    // data hold raw graph coordinates, and labels placed from them fell off the screen (none shown).
    sigma.refresh();
    placeLabels();
    sigma.refresh({ skipIndexation: true });
    const camera = sigma.getCamera();
    camera.on("updated", placeAgain);
    setFailure(null);
    setDrawn({ nodes: graph.order, edges: graph.size });
    return () => {
      cancelAnimationFrame(pending);
      cancelAnimationFrame(resized);
      observer.disconnect();
      camera.off("updated", placeAgain);
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
