/**
 * The collaboration network drawn by sigma into a container: labels placed by network-labels, the hovered
 * node and its links highlighted, a click opening the node's explore page, and where each node and label
 * is drawn recorded on the container for tests and assistive tools.
 */
import type { UndirectedGraph } from "graphology";
import { type RefObject, useEffect, useState } from "react";
import Sigma from "sigma";
import { exploreHref } from "../shared/links.js";
import { analysisFilters, type Filters } from "./filters.js";
import { type Metrics, type Network, type NodeAttributes, networkGraph } from "./network-graph.js";
import {
  emptyLabelLayout,
  hoverDrawer,
  LABEL_COLOUR,
  LABEL_FONT,
  LABEL_SIZE,
  type LabelLayout,
  labelDrawer,
  placeLabels,
} from "./network-labels.js";

type Graph = UndirectedGraph<NodeAttributes>;

export interface NetworkDrawingState {
  /** The nodes and edges drawn, null until drawn. */
  drawn: { nodes: number; edges: number } | null;
  /** The node under the pointer. */
  hovered: string | null;
  /** Why the network could not be drawn. */
  failure: string | null;
}

/** Draws the network into the container, again whenever the network, its metrics or the filters change. */
export function useNetworkDrawing(
  container: RefObject<HTMLDivElement | null>,
  network: Network,
  metrics: Metrics[],
  filters: Filters,
): NetworkDrawingState {
  const [drawn, setDrawn] = useState<{ nodes: number; edges: number } | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const graph = networkGraph(network, metrics);
    const layout = emptyLabelLayout();
    let renderer: Sigma<NodeAttributes> | undefined;
    try {
      renderer = networkRenderer(graph, element, layout);
    } catch (error) {
      setFailure(`The network could not be drawn (WebGL unavailable?): ${(error as Error).message}`);
      return;
    }
    const sigma = renderer;
    layout.dimensions = sigma.getDimensions();
    highlightHoveredNode(sigma, graph, layout, setHovered);
    openExploreOnClick(sigma, element, filters);
    recordDrawing(sigma, graph, element, layout);
    const stopPlacing = keepLabelsPlaced(sigma, graph, element, layout);
    setFailure(null);
    setDrawn({ nodes: graph.order, edges: graph.size });
    return () => {
      stopPlacing();
      sigma.kill();
      setDrawn(null);
    };
  }, [container, network, metrics, filters]);

  return { drawn, hovered, failure };
}

/** A sigma renderer of the graph in the element, drawing the labels chosen by placeLabels (throws without WebGL). */
function networkRenderer(graph: Graph, element: HTMLElement, layout: LabelLayout): Sigma<NodeAttributes> {
  return new Sigma<NodeAttributes>(graph, element, {
    labelFont: LABEL_FONT,
    labelColor: { color: LABEL_COLOUR },
    // sigma's label grid keeps the largest node of each cell but lets long labels of neighbouring
    // cells overlap, and it does not look at the canvas edges: it shows none (density 0), and the
    // labels chosen by placeLabels are forced.
    labelDensity: 0,
    labelRenderedSizeThreshold: 0,
    labelSize: LABEL_SIZE,
    defaultDrawNodeLabel: labelDrawer(layout),
    defaultDrawNodeHover: hoverDrawer(layout),
    // The largest node (size 22, in pixels at the fitted zoom) stays whole inside the canvas.
    stagePadding: 32,
    zIndex: true,
  });
}

/**
 * The hovered node (`onHover`) stands out with its neighbours and its links: every other node is greyed
 * and unnamed, every other link hidden. Without a hover, the placed labels are shown.
 */
function highlightHoveredNode(
  sigma: Sigma<NodeAttributes>,
  graph: Graph,
  layout: LabelLayout,
  onHover: (node: string | null) => void,
) {
  let focus: string | null = null;
  sigma.setSetting("nodeReducer", (node, attributes) =>
    focus && node !== focus && !graph.areNeighbors(node, focus)
      ? { ...attributes, color: "#e2e6ea", label: "", zIndex: 0 }
      : {
          ...attributes,
          zIndex: 1,
          forceLabel: node === focus || (!focus && layout.sides.has(node)),
          label: node === focus || layout.sides.has(node) ? attributes.label : "",
        },
  );
  sigma.setSetting("edgeReducer", (edge, attributes) =>
    focus && !graph.hasExtremity(edge, focus) ? { ...attributes, hidden: true } : attributes,
  );
  sigma.on("enterNode", ({ node }) => {
    focus = node;
    onHover(node);
    sigma.refresh({ skipIndexation: true });
  });
  sigma.on("leaveNode", () => {
    focus = null;
    onHover(null);
    sigma.refresh({ skipIndexation: true });
  });
}

/** A click on a node opens its explore page with the dashboard's filters; a node shows a pointer. */
function openExploreOnClick(sigma: Sigma<NodeAttributes>, element: HTMLElement, filters: Filters) {
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
}

/**
 * Where each node is drawn (CSS pixels in the container), and which labels were painted, so that a
 * test or an assistive tool can find a node and its name on the canvas: `data-node-positions` and
 * `data-labelled` of the element, written after every render.
 */
function recordDrawing(
  sigma: Sigma<NodeAttributes>,
  graph: Graph,
  element: HTMLElement,
  layout: LabelLayout,
) {
  sigma.on("beforeRender", () => {
    layout.frame = [];
    layout.painted = [];
  });
  const positions = () => {
    const out: Record<string, [number, number]> = {};
    graph.forEachNode((node) => {
      const display = sigma.getNodeDisplayData(node);
      if (!display) return;
      const point = sigma.framedGraphToViewport(display);
      out[node] = [Math.round(point.x), Math.round(point.y)];
    });
    element.dataset.nodePositions = JSON.stringify(out);
    element.dataset.labelled = JSON.stringify(layout.painted);
  };
  sigma.on("afterRender", positions);
}

/**
 * Places the labels now, and again when the camera moves or the canvas changes size (sigma's or the
 * container's); returns the function that stops it.
 */
function keepLabelsPlaced(
  sigma: Sigma<NodeAttributes>,
  graph: Graph,
  element: HTMLElement,
  layout: LabelLayout,
): () => void {
  // sigma refuses to draw into a container without a width or height (it throws): one that React
  // has just removed, or a hidden one.
  const drawable = () => element.isConnected && element.offsetWidth > 0 && element.offsetHeight > 0;
  let pending = 0;
  const placeAgain = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      if (!drawable()) return;
      placeLabels(sigma, graph, layout);
      sigma.refresh({ skipIndexation: true });
    });
  };
  // sigma resizes its canvases at the start of a frame; that frame draws the labels chosen for the old
  // size (those that still fit: labelDrawer), and the next one the labels chosen for the new size.
  sigma.on("resize", () => {
    layout.dimensions = sigma.getDimensions();
    placeAgain();
  });
  const stopWatching = refreshOnContainerResize(sigma, element, drawable);
  // highlightHoveredNode's setSetting only scheduled a refresh: until a render has processed the graph, the display
  // data hold raw graph coordinates, and labels placed from them fell off the screen (none shown).
  sigma.refresh();
  placeLabels(sigma, graph, layout);
  sigma.refresh({ skipIndexation: true });
  const camera = sigma.getCamera();
  camera.on("updated", placeAgain);
  return () => {
    cancelAnimationFrame(pending);
    stopWatching();
    camera.off("updated", placeAgain);
  };
}

/**
 * The container can change size without the window doing so (the page's layout settling): sigma
 * listens to the window only. Returns the function that stops watching.
 */
function refreshOnContainerResize(
  sigma: Sigma<NodeAttributes>,
  element: HTMLElement,
  drawable: () => boolean,
) {
  let resized = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(resized);
    resized = requestAnimationFrame(() => {
      if (drawable()) sigma.refresh();
    });
  });
  observer.observe(element);
  return () => {
    cancelAnimationFrame(resized);
    observer.disconnect();
  };
}
