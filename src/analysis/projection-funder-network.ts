import { type AnalysisProjection, type IdLists, projectionSourceCount } from "./analysis-projection.js";
import type { CheckedFilters } from "./project-filters.js";
import { compareIds, marks, selectedFunders } from "./projection-analyses.js";

/** A funder of the FUNDER network: its body's id and row label, and the filtered programmes it funds. */
export interface FunderNode {
  key: string;
  label: string;
  kind: "Funder";
  weight: number;
  /** The programmes counted in `weight`, for sourceCount. */
  records: string[];
}

/** A pair of funders: weight = shared programmes, projects = distinct filtered projects under them. */
export interface FunderEdge {
  source: string;
  target: string;
  weight: number;
  projects: number;
  amountEur: number;
  /** The shared programmes and those projects, for sourceCount. */
  records: string[];
}

function anyMarked(lists: IdLists, i: number, marked: Uint8Array): boolean {
  for (let k = lists.start[i]!; k < lists.start[i + 1]!; k++) if (marked[lists.items[k]!]) return true;
  return false;
}

/**
 * The programmes that pass PROGRAMME_FILTER (project-filters.ts), as a mask by programme index: its
 * years overlap the range (end year, else start year, from fromYear; start year to toYear; a missing
 * year fails a bound, as `null >= x` does in Cypher), it COVERS one of the topics, its scope (itself
 * and PART_OF*1..3) holds one of the programmes, a programme of its scope is FUNDED_BY a selected funder.
 */
export function filteredProgrammes(
  projection: AnalysisProjection,
  filters: Partial<CheckedFilters>,
): Uint8Array {
  const { programmes } = projection;
  const count = programmes.ids.length;
  const from = filters.fromYear ?? null;
  const to = filters.toYear ?? null;
  const topics = filters.topicIds?.length
    ? marks(projection.topics.ids.length, projection.topics.index, filters.topicIds)
    : null;
  const scope = filters.programmeIds?.length ? marks(count, programmes.index, filters.programmeIds) : null;
  const funders = filters.funderIds?.length ? selectedFunders(projection, filters.funderIds) : null;
  const mask = new Uint8Array(count);
  for (let g = 0; g < count; g++) {
    const end = Number.isNaN(programmes.endYear[g]!) ? programmes.startYear[g]! : programmes.endYear[g]!;
    if (from !== null && !(end >= from)) continue;
    if (to !== null && !(programmes.startYear[g]! <= to)) continue;
    if (topics && !anyMarked(programmes.topics, g, topics)) continue;
    if (scope && !anyMarked(programmes.scope, g, scope)) continue;
    if (funders && !anyMarked(programmes.directFunders, g, funders)) continue;
    mask[g] = 1;
  }
  return mask;
}

/**
 * The FUNDER network: funders (as bodies: SAME_AS chains end at one node) linked by the filtered
 * programmes that both fund directly (FUNDED_BY), weight = those programmes; projects = the distinct
 * filtered projects (`projectMask`) funded under them or their calls; a node's weight is its filtered
 * programmes. Edges with weight >= minWeight, heaviest first then by ids (code units); the nodes they
 * touch, heaviest first then by id. amountEur is 0: a programme's funding is not split among funders.
 */
export function projectionFunderNetwork(
  projection: AnalysisProjection,
  programmeMask: Uint8Array,
  projectMask: Uint8Array,
  minWeight: number,
): { nodes: FunderNode[]; edges: FunderEdge[] } {
  const { programmes, funders, projects } = projection;
  // The filtered projects under each programme (a project counts under every programme of its scope).
  const projectsOf = new Map<number, number[]>();
  for (let p = 0; p < projects.ids.length; p++) {
    if (!projectMask[p]) continue;
    for (let k = projects.programmeScope.start[p]!; k < projects.programmeScope.start[p + 1]!; k++) {
      const g = projects.programmeScope.items[k]!;
      if (!programmeMask[g]) continue;
      const list = projectsOf.get(g);
      if (list) list.push(p);
      else projectsOf.set(g, [p]);
    }
  }
  const ofFunder = new Map<number, string[]>();
  const pairs = new Map<
    string,
    { source: number; target: number; programmes: string[]; projects: Set<number> }
  >();
  for (let g = 0; g < programmes.ids.length; g++) {
    if (!programmeMask[g]) continue;
    const bodies = Array.from(
      programmes.bodies.items.subarray(programmes.bodies.start[g]!, programmes.bodies.start[g + 1]!),
    );
    bodies.sort((a, b) => compareIds(funders.ids[a]!, funders.ids[b]!));
    for (const f of bodies) ofFunder.set(f, [...(ofFunder.get(f) ?? []), programmes.ids[g]!]);
    for (let x = 0; x < bodies.length; x++) {
      for (let y = x + 1; y < bodies.length; y++) {
        const key = `${bodies[x]} ${bodies[y]}`;
        const pair = pairs.get(key) ?? {
          source: bodies[x]!,
          target: bodies[y]!,
          programmes: [],
          projects: new Set(),
        };
        pair.programmes.push(programmes.ids[g]!);
        for (const p of projectsOf.get(g) ?? []) pair.projects.add(p);
        pairs.set(key, pair);
      }
    }
  }
  const edges = [...pairs.values()]
    .filter((pair) => pair.programmes.length >= minWeight)
    .map((pair) => ({
      source: funders.ids[pair.source]!,
      target: funders.ids[pair.target]!,
      weight: pair.programmes.length,
      projects: pair.projects.size,
      amountEur: 0,
      records: [...pair.programmes, ...[...pair.projects].map((p) => projects.ids[p]!)],
    }))
    .sort((a, b) => b.weight - a.weight || compareIds(a.source, b.source) || compareIds(a.target, b.target));
  const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const nodes = [...ofFunder]
    .filter(([f]) => used.has(funders.ids[f]!))
    .map(([f, records]) => ({
      key: funders.ids[f]!,
      label: funders.rowLabel[f]!,
      kind: "Funder" as const,
      weight: records.length,
      records,
    }))
    .sort((a, b) => b.weight - a.weight || compareIds(a.key, b.key));
  return { nodes, edges };
}

/** sourceCount of records (programme and project ids) from the projection, without a query. */
export function recordSourceCount(projection: AnalysisProjection, records: Iterable<string>): number {
  return projectionSourceCount(projection, records);
}
