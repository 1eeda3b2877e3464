/**
 * The network drawing's labels: which nodes are named on the canvas and on which side (placeLabels), and
 * sigma's drawing of a label and of the hovered node's name, each kept inside the canvas and clear of the
 * labels already painted.
 */
import type { UndirectedGraph } from "graphology";
import type Sigma from "sigma";
import type { NodeHoverDrawingFunction, NodeLabelDrawingFunction } from "sigma/rendering";
import type { NodeAttributes } from "./network-graph.js";

export const LABEL_SIZE = 13;
export const LABEL_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
export const LABEL_COLOUR = "#1a2633";
/** At most this many names on the canvas at once: the rest on hover. */
const MAX_LABELS = 40;
/** Space kept between a label and the next label or the canvas edge (CSS pixels). */
const LABEL_GAP = 2;

/** A label's side of its node: right of it, as sigma draws, or left when the right has no room. */
export type Side = "right" | "left";

/** A rectangle in CSS pixels of the canvas: left, top, right, bottom. */
export type Box = [number, number, number, number];

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

/**
 * What the label drawing shares between sigma's callbacks: the nodes that have a label on the canvas and
 * its side (placeLabels), the label boxes painted in the frame being drawn and the nodes they name, and
 * the canvas size.
 */
export interface LabelLayout {
  sides: Map<string, Side>;
  frame: Box[];
  painted: string[];
  dimensions: { width: number; height: number };
}

export function emptyLabelLayout(): LabelLayout {
  return { sides: new Map(), frame: [], painted: [], dimensions: { width: 0, height: 0 } };
}

/**
 * Every label sigma draws passes here: it is painted only where it lies inside the canvas and clear
 * of the labels already painted in this frame. placeLabels chooses labels that pass; this check
 * keeps the promise in a frame drawn before they could be chosen again (the canvas was resized).
 */
export function labelDrawer(layout: LabelLayout): NodeLabelDrawingFunction<NodeAttributes> {
  return (context, data, settings) => {
    if (!data.label) return;
    const key = String(data.key);
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    const place = labelPlace(
      context,
      data.label,
      data.x,
      data.y,
      data.size,
      layout.sides.get(key) ?? "right",
    );
    if (!inside(place.box, layout.dimensions.width, layout.dimensions.height)) return;
    if (layout.frame.some((other) => intersects(other, place.box))) return;
    layout.frame.push(place.box);
    layout.painted.push(key);
    context.fillStyle = LABEL_COLOUR;
    context.fillText(data.label, place.x, place.baseline);
  };
}

/**
 * The hovered node's name on a white box, beside the node on the side with room, else moved inside
 * the canvas, and shortened with an ellipsis when it is wider than the canvas (the side panel shows
 * it in full).
 */
export function hoverDrawer(layout: LabelLayout): NodeHoverDrawingFunction<NodeAttributes> {
  return (context, data, settings) => {
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    context.shadowOffsetX = 0;
    context.shadowOffsetY = 0;
    context.shadowBlur = 8;
    context.shadowColor = "rgba(0, 0, 0, 0.5)";
    context.fillStyle = "#fff";
    context.beginPath();
    context.arc(data.x, data.y, data.size + 2, 0, Math.PI * 2);
    context.fill();
    if (data.label) drawHoverLabel(context, data.label, data, layout.dimensions);
    context.shadowBlur = 0;
  };
}

/** The hovered node's name and its white box (hoverDrawer), moved inside a canvas of this size. */
function drawHoverLabel(
  context: CanvasRenderingContext2D,
  name: string,
  node: { x: number; y: number; size: number },
  { width, height }: { width: number; height: number },
) {
  const label = fitText(context, name, width - 4 * LABEL_GAP - 8);
  const right = labelPlace(context, label, node.x, node.y, node.size, "right");
  const left = labelPlace(context, label, node.x, node.y, node.size, "left");
  const place = inside(right.box, width, height) || !inside(left.box, width, height) ? right : left;
  const [x0, y0, x1, y1] = place.box;
  const dx = x0 < LABEL_GAP ? LABEL_GAP - x0 : x1 > width - LABEL_GAP ? width - LABEL_GAP - x1 : 0;
  const dy = y0 < LABEL_GAP ? LABEL_GAP - y0 : y1 > height - LABEL_GAP ? height - LABEL_GAP - y1 : 0;
  context.fillRect(x0 + dx, y0 + dy, x1 - x0, y1 - y0);
  context.shadowBlur = 0;
  context.fillStyle = LABEL_COLOUR;
  context.fillText(label, place.x + dx, place.baseline + dy);
}

/**
 * The strongest nodes (largest first) get a label, right of the node or else left of it, where it
 * lies inside the canvas and overlaps no label already placed, as the screen shows them now (into
 * `layout.sides`); placed again when the camera moves or the canvas changes size. Every other name
 * shows on hover.
 */
export function placeLabels(
  sigma: Sigma<NodeAttributes>,
  graph: UndirectedGraph<NodeAttributes>,
  layout: LabelLayout,
): void {
  layout.dimensions = sigma.getDimensions();
  const measure = document.createElement("canvas").getContext("2d");
  if (!measure) return;
  const settings = sigma.getSettings();
  measure.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
  const boxes: Box[] = [];
  const chosen = new Map<string, Side>();
  const nodes = graph
    .nodes()
    .sort(
      (a, b) => graph.getNodeAttribute(b, "size") - graph.getNodeAttribute(a, "size") || a.localeCompare(b),
    );
  for (const node of nodes) {
    const display = sigma.getNodeDisplayData(node);
    if (!display) continue;
    const point = sigma.framedGraphToViewport(display);
    const radius = sigma.scaleSize(display.size);
    const label = graph.getNodeAttribute(node, "label");
    for (const side of ["right", "left"] as const) {
      const { box } = labelPlace(measure, label, point.x, point.y, radius, side);
      if (!inside(box, layout.dimensions.width, layout.dimensions.height)) continue;
      if (boxes.some((other) => intersects(other, box))) continue;
      boxes.push(box);
      chosen.set(node, side);
      break;
    }
    if (chosen.size >= MAX_LABELS) break;
  }
  layout.sides = chosen;
}
