import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { CollaborationNetwork } from "../../src/analysis/collaboration-network.js";
import { exportNetwork, type GexfVersion } from "../../src/analysis/network-export.js";
import type { NodeMetrics } from "../../src/analysis/network-metrics.js";
import { spellEdgeKey, type YearSpells, yearRuns } from "../../src/analysis/network-spells.js";

/**
 * The dynamic GEXF (spells) against the structure of GEXF 1.2 (gexf.net/1.2draft/gexf.xsd and its
 * dynamics, data and viz parts) and 1.3: the XML is parsed by a real parser (Python's xml.etree, expat,
 * the standard library of /usr/bin/python3) into a tree, and the tree is checked here element by
 * element: allowed elements, children and attributes, enumerated values, typed values, ids that
 * exist, spells that are ordered closed intervals of integers, and no edge present when one of its ends
 * is not.
 */

interface XmlElement {
  tag: string;
  attrib: Record<string, string>;
  children: XmlElement[];
}

const PYTHON = process.env.ATLAS_PYTHON ?? "/usr/bin/python3";

function parse(text: string): XmlElement {
  const script = `
import sys, json, xml.etree.ElementTree as ET
def tree(e):
    return {"tag": e.tag, "attrib": dict(e.attrib), "children": [tree(c) for c in e]}
print(json.dumps(tree(ET.fromstring(sys.stdin.buffer.read()))))
`;
  return JSON.parse(execFileSync(PYTHON, ["-c", script], { input: text, encoding: "utf8" })) as XmlElement;
}

const NAMESPACES: Record<GexfVersion, string> = {
  "1.2": "http://www.gexf.net/1.2draft",
  "1.3": "http://gexf.net/1.3",
};

/** What the schema allows, by element: attributes (required ones marked) and children. */
const GRAPH_ATTRIBUTES: Record<GexfVersion, string[]> = {
  "1.2": ["timeformat", "start", "startopen", "end", "endopen", "defaultedgetype", "idtype", "mode"],
  "1.3": [
    "timeformat",
    "timerepresentation",
    "timezone",
    "start",
    "startopen",
    "end",
    "endopen",
    "defaultedgetype",
    "idtype",
    "mode",
  ],
};
const ENUMS: Record<string, string[]> = {
  mode: ["static", "dynamic"],
  defaultedgetype: ["directed", "undirected", "mutual"],
  timeformat: ["integer", "double", "date", "dateTime"],
  timerepresentation: ["interval", "timestamp"],
  idtype: ["integer", "string"],
  class: ["node", "edge"],
};
const NODE_ATTRIBUTES = ["id", "label", "start", "startopen", "end", "endopen", "pid"];
const NODE_CHILDREN = [
  "attvalues",
  "spells",
  "nodes",
  "edges",
  "parents",
  "color",
  "position",
  "size",
  "shape",
];
const EDGE_ATTRIBUTES = [
  "id",
  "source",
  "target",
  "label",
  "type",
  "kind",
  "weight",
  "start",
  "startopen",
  "end",
  "endopen",
];
const EDGE_CHILDREN = ["attvalues", "spells", "color", "thickness", "shape"];
const ATTRIBUTE_TYPES = ["integer", "long", "double", "float", "boolean", "string", "anyURI", "liststring"];

/** Every problem found, as one line each; empty for a file the schema accepts. */
function gexfProblems(root: XmlElement, version: GexfVersion): string[] {
  const ns = `{${NAMESPACES[version]}}`;
  const problems: string[] = [];
  const name = (e: XmlElement) => (e.tag.startsWith(ns) ? e.tag.slice(ns.length) : `(foreign) ${e.tag}`);
  const only = (e: XmlElement, attributes: string[], required: string[] = []) => {
    for (const key of Object.keys(e.attrib))
      if (!attributes.includes(key))
        problems.push(`<${name(e)}> has attribute ${key} the schema does not define`);
    for (const key of required) if (!(key in e.attrib)) problems.push(`<${name(e)}> lacks required ${key}`);
    for (const [key, value] of Object.entries(e.attrib))
      if (ENUMS[key] && !ENUMS[key].includes(value))
        problems.push(`<${name(e)} ${key}="${value}"> not in ${ENUMS[key]}`);
  };
  const children = (e: XmlElement, allowed: string[]) => {
    for (const child of e.children)
      if (!allowed.includes(name(child)))
        problems.push(`<${name(e)}> holds <${name(child)}>, not allowed there`);
  };
  const integer = (value: string | undefined) => value !== undefined && /^-?\d+$/.test(value);

  if (name(root) !== "gexf") return [`root is ${root.tag}, not ${ns}gexf`];
  only(root, ["version", "variant"], ["version"]);
  if (root.attrib.version !== version) problems.push(`version ${root.attrib.version}, not ${version}`);
  const order = root.children.map(name);
  if (order.join(",") !== "meta,graph" && order.join(",") !== "graph")
    problems.push(`<gexf> children ${order.join(",")}: (meta?, graph) expected`);
  const meta = root.children.find((c) => name(c) === "meta");
  if (meta) {
    only(meta, ["lastmodifieddate"]);
    children(meta, ["creator", "keywords", "description"]);
  }
  const graph = root.children.find((c) => name(c) === "graph");
  if (!graph) return [...problems, "no <graph>"];
  only(graph, GRAPH_ATTRIBUTES[version]);
  const graphChildren = graph.children.map(name);
  // (attributes*, nodes, edges), in this order.
  const expectedOrder = [...graphChildren.filter((c) => c === "attributes"), "nodes", "edges"];
  if (graphChildren.join(",") !== expectedOrder.join(","))
    problems.push(`<graph> children ${graphChildren.join(",")}: (attributes*, nodes, edges) expected`);
  const dynamic = graph.attrib.mode === "dynamic";
  const timeformat = graph.attrib.timeformat ?? "double";
  if (dynamic && timeformat !== "integer")
    problems.push(`timeformat ${timeformat}, integer expected for years`);
  if (dynamic && !(integer(graph.attrib.start) && integer(graph.attrib.end)))
    problems.push("a dynamic graph's start and end must be integers (timeformat integer)");

  const declared: Record<string, Map<string, string>> = { node: new Map(), edge: new Map() };
  for (const attributes of graph.children.filter((c) => name(c) === "attributes")) {
    only(attributes, ["class", "mode", "start", "startopen", "end", "endopen"], ["class"]);
    children(attributes, ["attribute"]);
    for (const attribute of attributes.children) {
      only(attribute, ["id", "title", "type"], ["id", "title", "type"]);
      if (!ATTRIBUTE_TYPES.includes(attribute.attrib.type ?? ""))
        problems.push(`attribute type ${attribute.attrib.type} is not a GEXF type`);
      declared[attributes.attrib.class ?? ""]?.set(attribute.attrib.id ?? "", attribute.attrib.type ?? "");
    }
  }
  const spellsOf = (owner: string, e: XmlElement): [number, number][] | null => {
    const all = e.children.filter((c) => name(c) === "spells");
    if (all.length > 1) problems.push(`${owner} has ${all.length} <spells>`);
    const spells = all[0];
    if (!spells) return null;
    only(spells, []);
    children(spells, ["spell"]);
    if (spells.children.length === 0) problems.push(`${owner}: <spells> without a <spell>`);
    const intervals: [number, number][] = [];
    for (const spell of spells.children) {
      only(spell, ["start", "startopen", "end", "endopen"]);
      const { start, end } = spell.attrib;
      if (!integer(start) || !integer(end)) {
        problems.push(`${owner}: spell ${start}-${end} is not a pair of integers (timeformat integer)`);
        continue;
      }
      intervals.push([Number(start), Number(end)]);
    }
    for (const [i, [start, end]] of intervals.entries()) {
      if (start > end) problems.push(`${owner}: spell ${start}-${end} ends before it starts`);
      const before = intervals[i - 1];
      if (before && start <= before[1] + 1)
        problems.push(`${owner}: spells ${before} and ${start}-${end} overlap or touch`);
      if (start < Number(graph.attrib.start) || end > Number(graph.attrib.end))
        problems.push(
          `${owner}: spell ${start}-${end} outside the graph's ${graph.attrib.start}-${graph.attrib.end}`,
        );
    }
    return intervals;
  };
  const attvalues = (owner: string, e: XmlElement, klass: "node" | "edge") => {
    for (const values of e.children.filter((c) => name(c) === "attvalues")) {
      children(values, ["attvalue"]);
      for (const value of values.children) {
        only(value, ["for", "value", "start", "startopen", "end", "endopen"], ["for", "value"]);
        const type = declared[klass]!.get(value.attrib.for ?? "");
        if (!type) problems.push(`${owner}: attvalue for undeclared ${klass} attribute ${value.attrib.for}`);
        else if (type === "integer" && !integer(value.attrib.value))
          problems.push(`${owner}: ${value.attrib.value} is not an integer`);
        else if (type === "double" && !Number.isFinite(Number(value.attrib.value)))
          problems.push(`${owner}: ${value.attrib.value} is not a double`);
      }
    }
  };

  const nodeSpells = new Map<string, [number, number][] | null>();
  const nodes = graph.children.find((c) => name(c) === "nodes");
  for (const node of nodes?.children ?? []) {
    if (name(node) !== "node") {
      problems.push(`<nodes> holds <${name(node)}>`);
      continue;
    }
    only(node, NODE_ATTRIBUTES, ["id"]);
    children(node, NODE_CHILDREN);
    const id = node.attrib.id ?? "";
    if (nodeSpells.has(id)) problems.push(`node id ${id} twice`);
    attvalues(`node ${id}`, node, "node");
    const spells = spellsOf(`node ${id}`, node);
    if (dynamic && !spells) problems.push(`node ${id} has no spells in a dynamic graph of spells`);
    nodeSpells.set(id, spells);
  }
  const edgeIds = new Set<string>();
  const edges = graph.children.find((c) => name(c) === "edges");
  for (const edge of edges?.children ?? []) {
    if (name(edge) !== "edge") {
      problems.push(`<edges> holds <${name(edge)}>`);
      continue;
    }
    only(edge, EDGE_ATTRIBUTES, ["id", "source", "target"]);
    children(edge, EDGE_CHILDREN);
    const { id = "", source = "", target = "" } = edge.attrib;
    if (edgeIds.has(id)) problems.push(`edge id ${id} twice`);
    edgeIds.add(id);
    if (!nodeSpells.has(source) || !nodeSpells.has(target))
      problems.push(`edge ${id} has an end that is not a node`);
    if (edge.attrib.weight !== undefined && !Number.isFinite(Number(edge.attrib.weight)))
      problems.push(`edge ${id}: weight ${edge.attrib.weight}`);
    attvalues(`edge ${id}`, edge, "edge");
    const spells = spellsOf(`edge ${id}`, edge);
    if (dynamic && !spells) problems.push(`edge ${id} has no spells in a dynamic graph of spells`);
    // An edge is present only while both its ends are.
    for (const [start, end] of spells ?? [])
      for (const end_ of [source, target]) {
        const within = (nodeSpells.get(end_) ?? []).some(([s, e]) => s <= start && end <= e);
        if (!within) problems.push(`edge ${id} present in ${start}-${end} while node ${end_} is not`);
      }
  }
  return problems;
}

/** A small network: three countries, three edges, one of them (DE-ES) present in no single year. */
const network: CollaborationNetwork = {
  nodes: [
    { key: "country:DE", label: "Germany", kind: "Country", weight: 5 },
    { key: "country:ES", label: "Spain", kind: "Country", weight: 2 },
    { key: "country:FR", label: "France & <Overseas>", kind: "Country", weight: 4 },
  ],
  edges: [
    { source: "country:DE", target: "country:FR", weight: 3, projects: 3, amountEur: 1000.5 },
    { source: "country:DE", target: "country:ES", weight: 2, projects: 2, amountEur: 20 },
    { source: "country:ES", target: "country:FR", weight: 1, projects: 1, amountEur: 7 },
  ],
  totalEdges: 3,
  description: "Countries linked by shared projects.",
  sourceCount: 1,
} as unknown as CollaborationNetwork;
const metrics = [
  { key: "country:DE", community: 0, weightedDegree: 5, betweenness: 0.5, pageRank: 0.4 },
  { key: "country:ES", community: 1, weightedDegree: 3, betweenness: 0, pageRank: 0.2 },
  { key: "country:FR", community: 0, weightedDegree: 4, betweenness: 0, pageRank: 0.4 },
] as unknown as NodeMetrics[];
const spells: YearSpells = {
  fromYear: 2019,
  toYear: 2024,
  nodes: new Map([
    ["country:DE", [2019, 2020, 2022]],
    ["country:ES", [2022]],
    ["country:FR", [2019, 2020, 2021, 2022, 2024]],
  ]),
  edges: new Map([
    [spellEdgeKey("country:FR", "country:DE"), [2019, 2020, 2022]],
    [spellEdgeKey("country:ES", "country:FR"), [2022]],
  ]),
};

describe("GEXF with spells (dynamic mode)", () => {
  it("yearRuns: years to closed intervals of consecutive years", () => {
    expect(yearRuns([])).toEqual([]);
    expect(yearRuns([2019])).toEqual([[2019, 2019]]);
    expect(yearRuns([2019, 2020, 2022, 2023, 2024, 2026])).toEqual([
      [2019, 2020],
      [2022, 2024],
      [2026, 2026],
    ]);
  });

  for (const version of ["1.2", "1.3"] as const) {
    it(`GEXF ${version}: the dynamic file has the schema's structure, and the static one still does`, () => {
      const text = exportNetwork("GEXF", network, metrics, { gexfVersion: version, spells });
      const root = parse(text);
      expect(gexfProblems(root, version)).toEqual([]);
      const graph = root.children.find((c) => c.tag.endsWith("}graph"))!;
      expect(graph.attrib).toEqual({
        defaultedgetype: "undirected",
        mode: "dynamic",
        timeformat: "integer",
        ...(version === "1.3" ? { timerepresentation: "interval" } : {}),
        start: "2019",
        end: "2024",
      });
      const spellsOf = (e: XmlElement) =>
        e.children
          .find((c) => c.tag.endsWith("}spells"))
          ?.children.map((spell) => [Number(spell.attrib.start), Number(spell.attrib.end)]);
      const nodes = graph.children.find((c) => c.tag.endsWith("}nodes"))!.children;
      expect(Object.fromEntries(nodes.map((n) => [n.attrib.id, spellsOf(n)]))).toEqual({
        "country:DE": [
          [2019, 2020],
          [2022, 2022],
        ],
        "country:ES": [[2022, 2022]],
        "country:FR": [
          [2019, 2022],
          [2024, 2024],
        ],
      });
      const edges = graph.children.find((c) => c.tag.endsWith("}edges"))!.children;
      // DE-ES is in no year: left out, and the file says so.
      expect(edges.map((e) => [e.attrib.source, e.attrib.target, spellsOf(e)])).toEqual([
        [
          "country:DE",
          "country:FR",
          [
            [2019, 2020],
            [2022, 2022],
          ],
        ],
        ["country:ES", "country:FR", [[2022, 2022]]],
      ]);
      expect(text).toContain("Left out, present in no single year: 0 nodes and 1 edges.");

      const plain = exportNetwork("GEXF", network, metrics, { gexfVersion: version });
      expect(gexfProblems(parse(plain), version)).toEqual([]);
      expect(plain).toContain('<graph defaultedgetype="undirected" mode="static">');
      expect(plain).not.toContain("<spells>");
    });
  }

  it("the checker finds what the schema forbids (else its silence proves nothing)", () => {
    const text = exportNetwork("GEXF", network, metrics, { spells })
      .replace('timeformat="integer"', 'timeformat="year"')
      .replace('<spell start="2022" end="2022"/>', '<spell start="2022" end="2021"/>')
      .replace('source="country:ES"', 'source="country:XX"')
      .replace("<spells>", "<spells><nonsense/>");
    const problems = gexfProblems(parse(text), "1.2");
    expect(problems.join("\n")).toMatch(/timeformat="year"/);
    expect(problems.join("\n")).toMatch(/ends before it starts/);
    expect(problems.join("\n")).toMatch(/end that is not a node/);
    expect(problems.join("\n")).toMatch(/holds <nonsense>/);
    // An edge present while one of its ends is not.
    const early = exportNetwork("GEXF", network, metrics, {
      spells: { ...spells, edges: new Map([[spellEdgeKey("country:ES", "country:FR"), [2019]]]) },
    });
    expect(gexfProblems(parse(early), "1.2").join("\n")).toMatch(
      /present in 2019-2019 while node country:ES is not/,
    );
  });
});
