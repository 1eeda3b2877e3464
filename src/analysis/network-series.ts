import type { AnalysisContext } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import {
  checkedLimit,
  cutNetwork,
  type NetworkDefinition,
  type NetworkEdge,
  type WholeNetwork,
} from "./collaboration-network.js";
import type { CoverageRequest } from "./coverage.js";
import { MAX_YEAR, MIN_YEAR, type ProjectFilters, projectFilterParams } from "./project-filters.js";
import type { PairColumns } from "./projection-network.js";

export interface NetworkSeriesArgs extends Omit<NetworkDefinition, "fromYear" | "toYear"> {
  fromYear: number;
  toYear: number;
  windowYears?: number | null | undefined;
  limit?: number | null | undefined;
}

export interface NetworkWindow {
  fromYear: number;
  toYear: number;
  nodeKeys: string[];
  edges: NetworkEdge[];
  totalEdges: number;
  joined: string[];
  left: string[];
  edgesJoined: number;
  edgesLeft: number;
  sourceCount: number;
}

export interface NetworkSeries {
  windows: NetworkWindow[];
  description: string;
  coverageRequest: CoverageRequest;
}

export const MAX_WINDOW_YEARS = 20;
/** Windows per series: each is a whole network, and a series of more is no longer a dashboard answer. */
export const MAX_WINDOWS = 40;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The windows [from, to] of a series; throws BAD_USER_INPUT naming fromYear, toYear or windowYears. */
export function seriesWindows(fromYear: number, toYear: number, windowYears: number): [number, number][] {
  for (const [name, year] of [
    ["fromYear", fromYear],
    ["toYear", toYear],
  ] as const) {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
      throw badInput(name, `must be a year between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}`);
  }
  if (fromYear > toYear) throw badInput("fromYear", `must not be after toYear (${fromYear} > ${toYear})`);
  if (!Number.isInteger(windowYears) || windowYears < 1 || windowYears > MAX_WINDOW_YEARS)
    throw badInput(
      "windowYears",
      `must be a whole number between 1 and ${MAX_WINDOW_YEARS}, got ${windowYears}`,
    );
  const windows: [number, number][] = [];
  for (let from = fromYear; from <= toYear; from += windowYears)
    windows.push([from, Math.min(from + windowYears - 1, toYear)]);
  if (windows.length > MAX_WINDOWS)
    throw badInput(
      "windowYears",
      `gives ${windows.length} windows, more than ${MAX_WINDOWS}: use longer windows or fewer years`,
    );
  return windows;
}

/**
 * A window's nodes (keys in code-unit order) and its pairs: from the projection by entity rank
 * (`columns`, comparable between networks of one universe), else as strings.
 */
interface WindowPairs {
  keys: string[];
  columns?: PairColumns;
  /** The pairs as `source\u0000target` strings. */
  strings: () => Set<string>;
}

function windowPairs(whole: WholeNetwork): WindowPairs {
  if (whole.pairColumns) {
    const columns = whole.pairColumns();
    return { keys: columns.keys, columns, strings: columns.strings };
  }
  return {
    keys: [...new Set(whole.nodes.map((node) => node.key))].sort(compare),
    strings: () => new Set(whole.edges.map((edge) => `${edge.source}\u0000${edge.target}`)),
  };
}

/**
 * The pairs that two networks of one universe have in common. Both list their pairs by ascending
 * source rank, each pair once: per source in both, the earlier network's targets are marked with the
 * source's rank, and the later one's marked targets counted. Marks of earlier sources are lower ranks,
 * so nothing is reset, and nothing is sorted.
 */
function commonPairs(before: PairColumns, current: PairColumns): number {
  const mark = new Int32Array(before.entities).fill(-1);
  let common = 0;
  let i = 0;
  let j = 0;
  while (i < before.count && j < current.count) {
    const a = before.source[i]!;
    const b = current.source[j]!;
    if (a < b) while (i < before.count && before.source[i] === a) i++;
    else if (b < a) while (j < current.count && current.source[j] === b) j++;
    else {
      for (; i < before.count && before.source[i] === a; i++) mark[before.target[i]!] = a;
      for (; j < current.count && current.source[j] === a; j++) if (mark[current.target[j]!] === a) common++;
    }
  }
  return common;
}

/**
 * [keys in `current` and not in `before`, keys in `before` and not in `current`], each in the order of
 * its list; both lists are in code-unit order (WindowPairs.keys), so one merge finds them without a set
 * of thousands of organisation ids per window.
 */
function keyChanges(before: string[], current: string[]): [string[], string[]] {
  const joined: string[] = [];
  const left: string[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < current.length) {
    const order = i === before.length ? 1 : j === current.length ? -1 : compare(before[i]!, current[j]!);
    if (order < 0) left.push(before[i++]!);
    else if (order > 0) joined.push(current[j++]!);
    else {
      i++;
      j++;
    }
  }
  return [joined, left];
}

/** [pairs in `current` and not in `before`, pairs in `before` and not in `current`]. */
function pairChanges(before: WindowPairs, current: WindowPairs): [number, number] {
  if (before.columns && current.columns && before.columns.universe === current.columns.universe) {
    const common = commonPairs(before.columns, current.columns);
    return [current.columns.count - common, before.columns.count - common];
  }
  // Networks of different projections (a data version changed between windows), or not from one.
  const pairsBefore = before.strings();
  const pairs = current.strings();
  return [
    [...pairs].filter((pair) => !pairsBefore.has(pair)).length,
    [...pairsBefore].filter((pair) => !pairs.has(pair)).length,
  ];
}

/**
 * The network of `args.level` per year window (seriesWindows), each the whole network of its years
 * (`networkOf`, so that a server's cached networks are reused), cut to its heaviest `limit` edges, with
 * the nodes and pairs that joined or left since the previous window (on whole networks, not the cut).
 */
export async function networkSeries(
  context: AnalysisContext,
  args: NetworkSeriesArgs,
  networkOf: (definition: NetworkDefinition) => Promise<WholeNetwork>,
): Promise<NetworkSeries> {
  const windows = seriesWindows(args.fromYear, args.toYear, args.windowYears ?? 1);
  const limit = checkedLimit(args.limit ?? 100);
  const { windowYears: _w, limit: _l, ...definition } = args;
  const answers: NetworkWindow[] = [];
  let previous: WindowPairs | null = null;
  let description = "";
  for (const [fromYear, toYear] of windows) {
    const whole = await networkOf({ ...definition, fromYear, toYear });
    const cut = cutNetwork(whole, limit);
    const current = windowPairs(whole);
    const before = previous ?? current;
    const [joined, left] = keyChanges(before.keys, current.keys);
    const [edgesJoined, edgesLeft] = pairChanges(before, current);
    answers.push({
      fromYear,
      toYear,
      nodeKeys: current.keys,
      edges: cut.edges,
      totalEdges: cut.totalEdges,
      joined,
      left,
      edgesJoined,
      edgesLeft,
      sourceCount: cut.sourceCount,
    });
    previous = current;
    description = whole.description;
  }
  const filters: ProjectFilters = { ...definition, fromYear: args.fromYear, toYear: args.toYear };
  return {
    windows: answers,
    description: `${windows.length} windows of ${args.windowYears ?? 1} year(s), ${args.fromYear}-${args.toYear}; joined and left compare each window's whole network with the previous window's. ${description}`,
    coverageRequest: {
      params: await projectFilterParams(context, filters),
      memberships: args.level === "FUNDER" ? "ALL" : null,
      thresholds: [],
    },
  };
}
