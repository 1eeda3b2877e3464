import type { AnalysisContext } from "./analysis-context.js";
import type { NetworkDefinition, WholeNetwork } from "./collaboration-network.js";
import { type CoverageRequest, coverageOf } from "./coverage.js";

/**
 * The years in which each node and each edge of a network is present, for a GEXF file in dynamic mode
 * (Gephi's timeline): a node or an edge is present in year y when it is in the network of the same
 * definition restricted to projects starting in y (fromYear = toYear = y, the same filters and
 * minWeight), as networkSeries' windows of one year list them.
 */
export interface YearSpells {
  /** The first and last year considered. */
  fromYear: number;
  toYear: number;
  /** Node key -> its years, ascending. */
  nodes: Map<string, number[]>;
  /** spellEdgeKey(source, target) -> its years, ascending. */
  edges: Map<string, number[]>;
}

/** The key of an undirected pair in YearSpells.edges, whatever the order of its ends. */
export const spellEdgeKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * The years to consider: the definition's fromYear..toYear, each end that is not given taken from the
 * start years of the projects the filters select (the coverage of the network's `coverageRequest`);
 * null when no such project has a start year.
 */
export async function spellYears(
  context: AnalysisContext,
  definition: NetworkDefinition,
  coverageRequest: CoverageRequest,
): Promise<[number, number] | null> {
  let fromYear = definition.fromYear ?? null;
  let toYear = definition.toYear ?? null;
  if (fromYear === null || toYear === null) {
    // Only the years are read: the members' shortfalls are not needed.
    const coverage = await coverageOf(context, { ...coverageRequest, memberships: null });
    fromYear ??= coverage.fromYear;
    toYear ??= coverage.toYear;
  }
  if (fromYear === null || toYear === null || fromYear > toYear) return null;
  return [fromYear, toYear];
}

/** Each year's whole network (networkOf, so that a server's cached networks are reused), read into spells. */
export async function yearSpells(
  definition: NetworkDefinition,
  [fromYear, toYear]: [number, number],
  networkOf: (definition: NetworkDefinition) => Promise<WholeNetwork>,
): Promise<YearSpells> {
  const nodes = new Map<string, number[]>();
  const edges = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, year: number) => {
    const years = map.get(key);
    if (years) years.push(year);
    else map.set(key, [year]);
  };
  for (let year = fromYear; year <= toYear; year++) {
    const network = await networkOf({ ...definition, fromYear: year, toYear: year });
    for (const node of network.nodes) add(nodes, node.key, year);
    for (const edge of network.edges) add(edges, spellEdgeKey(edge.source, edge.target), year);
  }
  return { fromYear, toYear, nodes, edges };
}

/** Years as GEXF spells: runs of consecutive years, each a closed interval [start, end]. */
export function yearRuns(years: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const year of years) {
    const last = runs[runs.length - 1];
    if (last && year === last[1] + 1) last[1] = year;
    else runs.push([year, year]);
  }
  return runs;
}
