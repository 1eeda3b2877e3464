import { stringify } from "csv-stringify/sync";
import { xmlSafe } from "../util/control-characters.js";
import { CSV_QUOTING, defusedCell } from "../util/csv-cells.js";
import type { CollaborationNetwork } from "./collaboration-network.js";
import type { NodeMetrics } from "./network-metrics.js";

export type ExportFormat = "GRAPHML" | "GEXF" | "CSV";

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  GRAPHML: "application/graphml+xml; charset=utf-8",
  GEXF: "application/gexf+xml; charset=utf-8",
  CSV: "text/csv; charset=utf-8",
};

/**
 * A value as XML text: escaped, and without the characters XML 1.0 cannot hold (see xmlSafe): a store
 * written before names were cleaned at import (issue 16.4) may still have them, and one of them made
 * the whole file unreadable.
 */
const xml = (value: string | number) =>
  xmlSafe(String(value)).replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );

type MetricsByNode = Map<string, NodeMetrics>;

/**
 * GraphML (graphml.graphdrawing.org): nodes with label, kind, weight and, where known, community and
 * centralities; edges with weight, projects and amountEur (EUR). Undirected.
 */
function graphml(network: CollaborationNetwork, byId: MetricsByNode): string {
  const keys = [
    ["label", "node", "string"],
    ["kind", "node", "string"],
    ["weight", "node", "double"],
    ["community", "node", "int"],
    ["weightedDegree", "node", "double"],
    ["betweenness", "node", "double"],
    ["pageRank", "node", "double"],
    ["weight", "edge", "double"],
    ["projects", "edge", "int"],
    ["amountEur", "edge", "double"],
  ];
  const data = (key: string, scope: string, value: string | number) =>
    `<data key="${scope}_${key}">${xml(value)}</data>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...keys.map(
      ([name, scope, type]) =>
        `  <key id="${scope}_${name}" for="${scope}" attr.name="${name}" attr.type="${type}"/>`,
    ),
    '  <graph id="collaboration" edgedefault="undirected">',
    ...network.nodes.map((node) => {
      const m = byId.get(node.key);
      return `    <node id="${xml(node.key)}">${data("label", "node", node.label)}${data("kind", "node", node.kind)}${data("weight", "node", node.weight)}${
        m
          ? data("community", "node", m.community) +
            data("weightedDegree", "node", m.weightedDegree) +
            data("betweenness", "node", m.betweenness) +
            data("pageRank", "node", m.pageRank)
          : ""
      }</node>`;
    }),
    ...network.edges.map(
      (edge, i) =>
        `    <edge id="e${i}" source="${xml(edge.source)}" target="${xml(edge.target)}">${data("weight", "edge", edge.weight)}${data("projects", "edge", edge.projects)}${data("amountEur", "edge", edge.amountEur)}</edge>`,
    ),
    "  </graph>",
    "</graphml>",
    "",
  ].join("\n");
}

/** GEXF 1.3 (gexf.net): the same attributes as GraphML, node attributes by index. Undirected. */
function gexf(network: CollaborationNetwork, byId: MetricsByNode): string {
  const nodeAttributes = ["kind", "weight", "community", "weightedDegree", "betweenness", "pageRank"];
  const types = ["string", "double", "integer", "double", "double", "double"];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    '  <graph defaultedgetype="undirected" mode="static">',
    '    <attributes class="node">',
    ...nodeAttributes.map((name, i) => `      <attribute id="${i}" title="${name}" type="${types[i]}"/>`),
    "    </attributes>",
    '    <attributes class="edge">',
    '      <attribute id="0" title="projects" type="integer"/>',
    '      <attribute id="1" title="amountEur" type="double"/>',
    "    </attributes>",
    "    <nodes>",
    ...network.nodes.map((node) => {
      const m = byId.get(node.key);
      const values = [
        node.kind,
        node.weight,
        m?.community ?? "",
        m?.weightedDegree ?? "",
        m?.betweenness ?? "",
        m?.pageRank ?? "",
      ];
      return `      <node id="${xml(node.key)}" label="${xml(node.label)}"><attvalues>${values
        .map((value, i) => (value === "" ? "" : `<attvalue for="${i}" value="${xml(value)}"/>`))
        .join("")}</attvalues></node>`;
    }),
    "    </nodes>",
    "    <edges>",
    ...network.edges.map(
      (edge, i) =>
        `      <edge id="${i}" source="${xml(edge.source)}" target="${xml(edge.target)}" weight="${edge.weight}"><attvalues><attvalue for="0" value="${edge.projects}"/><attvalue for="1" value="${edge.amountEur}"/></attvalues></edge>`,
    ),
    "    </edges>",
    "  </graph>",
    "</gexf>",
    "",
  ].join("\n");
}

/** An edge list (Source, Target, Type, Weight, projects, amountEur in EUR) as RFC 4180 CSV. */
function edgeListCsv(network: CollaborationNetwork): string {
  // An edge list with the header row Gephi's and Cytoscape's table importers expect.
  return stringify(
    network.edges.map((edge) => [
      defusedCell(edge.source),
      defusedCell(edge.target),
      "undirected",
      edge.weight,
      edge.projects,
      edge.amountEur,
    ]),
    {
      ...CSV_QUOTING,
      header: true,
      columns: ["Source", "Target", "Type", "Weight", "projects", "amountEur"],
    },
  );
}

/**
 * The network as Gephi and Cytoscape open it: nodes with label, kind, weight and the metrics
 * (community, centralities), edges with weight, projects and amountEur (EUR). `metrics` are those of
 * the whole network (a node without an entry is written without them). Returns the file's text.
 */
export function exportNetwork(
  format: ExportFormat,
  network: CollaborationNetwork,
  metrics: NodeMetrics[],
): string {
  const byId: MetricsByNode = new Map(metrics.map((m) => [m.key, m]));
  switch (format) {
    case "GRAPHML":
      return graphml(network, byId);
    case "GEXF":
      return gexf(network, byId);
    case "CSV":
      return edgeListCsv(network);
  }
}
