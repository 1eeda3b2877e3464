import { stringify } from "csv-stringify/sync";
import { xmlSafe } from "../util/control-characters.js";
import { CSV_QUOTING, defusedCell } from "../util/csv-cells.js";
import { type CollaborationNetwork, MAX_NETWORK_EDGES } from "./collaboration-network.js";
import type { NodeMetrics } from "./network-metrics.js";
import { spellEdgeKey, type YearSpells, yearRuns } from "./network-spells.js";

export type ExportFormat = "GRAPHML" | "GEXF" | "CSV";

/**
 * The `limit` of an export when none is given, for the GraphQL `export` field and GET /export/network.*
 * alike: the most the API allows, so that a file is its whole network (as the dashboard draws it) unless
 * that has more edges; a file still cut says so (exportCut). The schema leaves the argument without a
 * default so that this is the one place it is defined.
 */
export const EXPORT_DEFAULT_LIMIT = MAX_NETWORK_EDGES;

/**
 * The GEXF versions written. 1.2 (namespace http://www.gexf.net/1.2draft) is the default: networkx
 * 2.8 to 3.5 read only 1.1draft and 1.2draft ("No <graph> element in GEXF file" on 1.3), Gephi reads
 * both. 1.3 (namespace http://gexf.net/1.3) on request, for Gephi 0.9+ and networkx 3.6+.
 */
export const GEXF_VERSIONS = ["1.2", "1.3"] as const;
export type GexfVersion = (typeof GEXF_VERSIONS)[number];

const GEXF_NAMESPACES: Record<GexfVersion, string> = {
  "1.2": "http://www.gexf.net/1.2draft",
  "1.3": "http://gexf.net/1.3",
};

/** How a file was cut from its whole network: counts of the file and of the whole, and what to ask for. */
export interface ExportCut {
  fileNodes: number;
  fileEdges: number;
  totalNodes: number;
  totalEdges: number;
  /** One sentence for people: what was cut and how to get all of it (the `limit` parameter or narrower filters). */
  note: string;
}

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
 * Whether `network` (the heaviest `limit` edges and the nodes they touch) is less than its whole
 * network, whose edges are `network.totalEdges` and whose nodes are those that `metrics` (the whole
 * network's, one per node) describe. Undefined when the file holds the whole network.
 */
export function exportCut(
  network: CollaborationNetwork,
  metrics: readonly NodeMetrics[],
): ExportCut | undefined {
  const fileNodes = network.nodes.length;
  const fileEdges = network.edges.length;
  const totalNodes = Math.max(metrics.length, fileNodes);
  const totalEdges = network.totalEdges;
  if (fileEdges >= totalEdges && fileNodes >= totalNodes) return undefined;
  const howToGetAll =
    totalEdges <= MAX_NETWORK_EDGES
      ? `ask with limit=${totalEdges} (or up to ${MAX_NETWORK_EDGES}) for the whole network`
      : `the whole network has more edges than limit allows (${MAX_NETWORK_EDGES}): narrow the filters (topicIds, programmeIds, funderIds, pmRelevance, fromYear, toYear) or raise minWeight`;
  return {
    fileNodes,
    fileEdges,
    totalNodes,
    totalEdges,
    note:
      `CUT: this file holds the heaviest ${fileEdges} of ${totalEdges} edges and the ${fileNodes} of ` +
      `${totalNodes} nodes they touch (limit=${fileEdges}); ${howToGetAll}.`,
  };
}

/** Text for an XML comment: a comment may not hold "--" (nor end in "-"). */
const commentText = (text: string) => xmlSafe(text).replace(/-{2,}/g, "-").replace(/-$/, "");

/**
 * GraphML (graphml.graphdrawing.org): nodes with label, kind, weight and, where known, community and
 * centralities; edges with weight, projects and amountEur (EUR). Undirected. Graph-level data (networkx
 * reads them into `G.graph`): description, nodes and edges of the file and of the whole network, and,
 * when the file was cut, `cut` saying so (also as a comment at the top, for people).
 */
function graphml(network: CollaborationNetwork, byId: MetricsByNode, cut: ExportCut | undefined): string {
  const graphKeys = [
    ["description", "string"],
    ["nodesInFile", "int"],
    ["edgesInFile", "int"],
    ["nodesInNetwork", "int"],
    ["edgesInNetwork", "int"],
    ["cut", "string"],
  ];
  const graphData: [string, string | number][] = [
    ["description", network.description],
    ["nodesInFile", network.nodes.length],
    ["edgesInFile", network.edges.length],
    ["nodesInNetwork", cut?.totalNodes ?? network.nodes.length],
    ["edgesInNetwork", network.totalEdges],
    ...(cut ? [["cut", cut.note] as [string, string]] : []),
  ];
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
    ...(cut ? [`<!-- ${commentText(cut.note)} -->`] : []),
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...graphKeys.map(
      ([name, type]) => `  <key id="graph_${name}" for="graph" attr.name="${name}" attr.type="${type}"/>`,
    ),
    ...keys.map(
      ([name, scope, type]) =>
        `  <key id="${scope}_${name}" for="${scope}" attr.name="${name}" attr.type="${type}"/>`,
    ),
    '  <graph id="collaboration" edgedefault="undirected">',
    ...graphData.map(([key, value]) => `    ${data(key, "graph", value)}`),
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

/** A node's or an edge's years as GEXF spells (runs of consecutive years, closed intervals). */
const spellsXml = (years: readonly number[]) =>
  `<spells>${yearRuns(years)
    .map(([start, end]) => `<spell start="${start}" end="${end}"/>`)
    .join("")}</spells>`;

/**
 * GEXF 1.2 or 1.3 (gexf.net): the same attributes as GraphML, node attributes by index; attribute types
 * (string, integer, double) and elements are those both versions define, and no `viz` is written
 * (positions and colours are the reader's layout). Undirected. The meta description holds the network's
 * description and, when the file was cut, says so (networkx after 3.6.1 reads it into
 * `G.graph["description"]`; the comment at the top says it to people and to every reader's raw text).
 *
 * With `spells` the graph is dynamic (`mode="dynamic" timeformat="integer"`, the years as integers,
 * 1.3 also `timerepresentation="interval"`): every node and edge has `<spells>` of the years it is
 * present in (runs of consecutive years, closed intervals), which Gephi's timeline plays and networkx
 * reads into the `spells` attribute. A node or an edge of the file present in no year (its projects have
 * no start year in the range, or its weight passes minWeight only over several years) is left out, and
 * the description says how many.
 */
function gexf(
  network: CollaborationNetwork,
  byId: MetricsByNode,
  cut: ExportCut | undefined,
  version: GexfVersion,
  spells?: YearSpells,
): string {
  const nodeAttributes = ["kind", "weight", "community", "weightedDegree", "betweenness", "pageRank"];
  const types = ["string", "double", "integer", "double", "double", "double"];
  const nodeYears = (key: string) => spells?.nodes.get(key);
  const edgeYears = (source: string, target: string) => spells?.edges.get(spellEdgeKey(source, target));
  const nodes = spells ? network.nodes.filter((node) => nodeYears(node.key)) : network.nodes;
  const edges = spells ? network.edges.filter((edge) => edgeYears(edge.source, edge.target)) : network.edges;
  const notes = [
    ...(cut ? [cut.note] : []),
    ...(spells
      ? [
          `DYNAMIC: every node and edge has the years ${spells.fromYear}-${spells.toYear} in which it is in that year's network (projects starting that year, the same filters and minWeight) as spells.` +
            (nodes.length < network.nodes.length || edges.length < network.edges.length
              ? ` Left out, present in no single year: ${network.nodes.length - nodes.length} nodes and ${network.edges.length - edges.length} edges.`
              : ""),
        ]
      : []),
  ];
  const graph = spells
    ? `<graph defaultedgetype="undirected" mode="dynamic" timeformat="integer"${version === "1.3" ? ' timerepresentation="interval"' : ""} start="${spells.fromYear}" end="${spells.toYear}">`
    : '<graph defaultedgetype="undirected" mode="static">';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    ...notes.map((note) => `<!-- ${commentText(note)} -->`),
    `<gexf xmlns="${GEXF_NAMESPACES[version]}" version="${version}">`,
    "  <meta>",
    "    <creator>PerMed Atlas</creator>",
    `    <description>${xml([...notes, network.description].join(" "))}</description>`,
    "  </meta>",
    `  ${graph}`,
    '    <attributes class="node">',
    ...nodeAttributes.map((name, i) => `      <attribute id="${i}" title="${name}" type="${types[i]}"/>`),
    "    </attributes>",
    '    <attributes class="edge">',
    '      <attribute id="0" title="projects" type="integer"/>',
    '      <attribute id="1" title="amountEur" type="double"/>',
    "    </attributes>",
    "    <nodes>",
    ...nodes.map((node) => {
      const m = byId.get(node.key);
      const values = [
        node.kind,
        node.weight,
        m?.community ?? "",
        m?.weightedDegree ?? "",
        m?.betweenness ?? "",
        m?.pageRank ?? "",
      ];
      const years = nodeYears(node.key);
      return `      <node id="${xml(node.key)}" label="${xml(node.label)}"><attvalues>${values
        .map((value, i) => (value === "" ? "" : `<attvalue for="${i}" value="${xml(value)}"/>`))
        .join("")}</attvalues>${years ? spellsXml(years) : ""}</node>`;
    }),
    "    </nodes>",
    "    <edges>",
    ...edges.map((edge, i) => {
      const years = edgeYears(edge.source, edge.target);
      return `      <edge id="${i}" source="${xml(edge.source)}" target="${xml(edge.target)}" weight="${edge.weight}"><attvalues><attvalue for="0" value="${edge.projects}"/><attvalue for="1" value="${edge.amountEur}"/></attvalues>${years ? spellsXml(years) : ""}</edge>`;
    }),
    "    </edges>",
    "  </graph>",
    "</gexf>",
    "",
  ].join("\n");
}

/**
 * An edge list (Source, Target, Type, Weight, projects, amountEur in EUR) as RFC 4180 CSV. A cut file
 * has one more column, `cut`, holding the cut's note on every row: a comment line or a last row would
 * break `pandas.read_csv` and the table importers, and a note on one row only would be lost to a filter
 * or `dropna`.
 */
function edgeListCsv(network: CollaborationNetwork, cut: ExportCut | undefined): string {
  // An edge list with the header row Gephi's and Cytoscape's table importers expect.
  const columns = ["Source", "Target", "Type", "Weight", "projects", "amountEur"];
  return stringify(
    network.edges.map((edge) => [
      defusedCell(edge.source),
      defusedCell(edge.target),
      "undirected",
      edge.weight,
      edge.projects,
      edge.amountEur,
      ...(cut ? [cut.note] : []),
    ]),
    { ...CSV_QUOTING, header: true, columns: cut ? [...columns, "cut"] : columns },
  );
}

/**
 * The network as Gephi, Cytoscape, networkx and pandas open it: nodes with label, kind, weight and the
 * metrics (community, centralities), edges with weight, projects and amountEur (EUR). `metrics` are
 * those of the whole network, one per node (a node without an entry is written without them); with
 * `network.totalEdges` they tell whether the file was cut (exportCut), which the file then says.
 * `gexfVersion`: "1.2" unless asked; `spells` (GEXF only): a dynamic graph, each node and edge with
 * the years it is present in (see gexf). Returns the file's text.
 */
export function exportNetwork(
  format: ExportFormat,
  network: CollaborationNetwork,
  metrics: NodeMetrics[],
  options: { gexfVersion?: GexfVersion; spells?: YearSpells } = {},
): string {
  const byId: MetricsByNode = new Map(metrics.map((m) => [m.key, m]));
  const cut = exportCut(network, metrics);
  switch (format) {
    case "GRAPHML":
      return graphml(network, byId, cut);
    case "GEXF":
      return gexf(network, byId, cut, options.gexfVersion ?? "1.2", options.spells);
    case "CSV":
      return edgeListCsv(network, cut);
  }
}
