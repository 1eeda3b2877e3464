import { useRef } from "react";
import type { NetworkLevel } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import { exploreHref } from "../shared/links.js";
import { choiceParam, integerParam, useUrlState } from "../shared/url-state.js";
import { analysisFilters, type Filters, networkFilters } from "./filters.js";
import { communityColour, count, eur, number } from "./format.js";
import type { Metrics, Network } from "./network-graph.js";
import { NetworkQuery } from "./queries.js";
import { Described, Empty, ErrorMessage, QueryView } from "./status.js";
import { useNetworkDrawing } from "./use-network-drawing.js";
import { useQuery } from "./use-query.js";

const LEVELS: { id: NetworkLevel; label: string }[] = [
  { id: "COUNTRY", label: "Countries" },
  { id: "ORGANISATION", label: "Organisations" },
  { id: "FUNDER", label: "Funders" },
];

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
  const { drawn, hovered, failure } = useNetworkDrawing(container, network, metrics, filters);
  const byId = new Map(metrics.map((metric) => [metric.key, metric]));
  const focused = hovered ? byId.get(hovered) : undefined;

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
        <NetworkCaption network={network} metrics={metrics} drawn={drawn} />
      </div>
      <aside className="network-side">
        {focused ? <NodeDetails node={focused} /> : <MostConnected metrics={metrics} filters={filters} />}
        <p className="hint">Strongest link: {strongestLink(network, byId, level)}</p>
      </aside>
    </div>
  );
}

function NetworkCaption({
  network,
  metrics,
  drawn,
}: {
  network: Network;
  metrics: Metrics[];
  drawn: { nodes: number; edges: number } | null;
}) {
  const communities = new Set(metrics.map((metric) => metric.community)).size;
  return (
    <p className="caption">
      <span data-testid="network-node-count">{drawn?.nodes ?? 0}</span> nodes,{" "}
      <span data-testid="network-edge-count">{drawn?.edges ?? 0}</span> edges, {communities}{" "}
      {communities === 1 ? "community" : "communities"}. Size: weighted degree; colour: Louvain community.
      Labels of the strongest nodes are shown; hover a node to see its name and links, click it to explore it.
      {network.totalEdges > network.edges.length ? (
        <span data-testid="network-cut">
          {" "}
          Only the {number(network.edges.length)} strongest of {number(network.totalEdges)} links are drawn,
          and the metrics are computed on them: raise “at least” to focus.
        </span>
      ) : null}
    </p>
  );
}

/** The hovered node's metrics. */
function NodeDetails({ node }: { node: Metrics }) {
  return (
    <dl className="node-details" data-testid="node-details">
      <dt>Node</dt>
      <dd title={node.key}>
        <span className="swatch" style={{ background: communityColour(node.community) }} /> {node.label}
      </dd>
      <dt>Degree / weighted</dt>
      <dd>
        {node.degree} / {number(node.weightedDegree)}
      </dd>
      <dt>Betweenness</dt>
      <dd>{number(node.betweenness)}</dd>
      <dt>PageRank</dt>
      <dd>{number(node.pageRank)}</dd>
      <dt>Community</dt>
      <dd>{node.community}</dd>
    </dl>
  );
}

/** The ten nodes of the largest weighted degree, linked to their explore pages. */
function MostConnected({ metrics, filters }: { metrics: Metrics[]; filters: Filters }) {
  const top = [...metrics].sort((a, b) => b.weightedDegree - a.weightedDegree).slice(0, 10);
  return (
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
  );
}

/** The network's first (strongest) link in words: its ends, its weight and what it counts; "none" without links. */
function strongestLink(network: Network, byId: Map<string, Metrics>, level: NetworkLevel): string {
  const edge = network.edges[0];
  if (!edge) return "none";
  const source = byId.get(edge.source)?.label ?? edge.source;
  const target = byId.get(edge.target)?.label ?? edge.target;
  const counted = level === "FUNDER" ? "programmes" : `projects, ${eur(edge.amountEur)}`;
  return `${source} – ${target}: ${count(edge.weight)} (${counted})`;
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
        <MinWeightInput level={level} value={minWeight} onChange={setMinWeight} />
        <LevelChoice value={level} onChange={setLevel} />
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
                <NetworkDownloads
                  network={data.collaborationNetwork}
                  metrics={data.networkMetrics}
                  level={level}
                  minWeight={minWeight}
                  filters={filters}
                />
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

/** The least weight of a drawn link: shared projects (programmes between funders). */
function MinWeightInput({
  level,
  value,
  onChange,
}: {
  level: NetworkLevel;
  value: number;
  onChange: (minWeight: number) => void;
}) {
  return (
    <label className="min-weight">
      at least{" "}
      <input
        type="number"
        min={1}
        step={1}
        value={value}
        onChange={(event) => onChange(Math.max(1, Math.floor(Number(event.target.value) || 1)))}
        data-testid="min-weight"
      />{" "}
      shared {level === "FUNDER" ? "programmes" : "projects"} per link
    </label>
  );
}

function LevelChoice({ value, onChange }: { value: NetworkLevel; onChange: (level: NetworkLevel) => void }) {
  return (
    <fieldset className="segmented">
      <legend>Level</legend>
      {LEVELS.map((option) => (
        <label key={option.id} className={option.id === value ? "active" : ""}>
          <input
            type="radio"
            name="level"
            value={option.id}
            checked={option.id === value}
            onChange={() => onChange(option.id)}
            data-testid={`level-${option.id}`}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The nodes with their metrics as CSV. */
function nodeRows(network: Network, metrics: Metrics[]) {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  return network.nodes.map((node) => {
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
}

/** The network as drawn: its nodes and its edges as CSV, and as GraphML from the /export route. */
function NetworkDownloads({
  network,
  metrics,
  level,
  minWeight,
  filters,
}: {
  network: Network;
  metrics: Metrics[];
  level: NetworkLevel;
  minWeight: number;
  filters: Filters;
}) {
  return (
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
        rows={() => nodeRows(network, metrics)}
      />
      <CsvButton
        filename={`network-${level.toLowerCase()}-edges.csv`}
        testId="network-edges-csv"
        header={["source", "target", "weight", "projects", "amount_eur"]}
        rows={() =>
          network.edges.map((edge) => [edge.source, edge.target, edge.weight, edge.projects, edge.amountEur])
        }
      />
      <a href={`/export/network.graphml?${exportQuery(level, minWeight, filters)}`} download>
        GraphML (Gephi, networkx)
      </a>
    </div>
  );
}
