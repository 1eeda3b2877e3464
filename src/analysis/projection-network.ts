import { type AnalysisProjection, projectionSourceCountOfProjects } from "./analysis-projection.js";
import type { ColumnGraph } from "./leiden.js";
import { eurFromCents } from "./money.js";
import { addParticipations, compareIds, ProjectScratch } from "./projection-analyses.js";

export type ProjectionNetworkLevel = "COUNTRY" | "ORGANISATION";

/**
 * Who takes part in which project at one level, with entities numbered by their id's rank in code-unit
 * order (Cypher's string order), so that comparing two entities' numbers compares their ids. Depends
 * only on the projection, so it is built once per projection and level and shared by every filter.
 */
interface Membership {
  /** Entity ids and labels (name, else id) by rank. */
  ids: string[];
  labels: string[];
  /** Rank of each entity by its index in the projection's table. */
  rankOf: Int32Array;
  /** Per project: its distinct entities (ranks, ascending) and each one's contributions summed in whole cents. */
  byProject: { start: Int32Array; entity: Int32Array; cents: Float64Array };
  /** Per entity (rank): its projects (ascending) and its cents in each: the transpose of byProject. */
  byEntity: { start: Int32Array; project: Int32Array; cents: Float64Array };
}

const memberships = new WeakMap<AnalysisProjection, Partial<Record<ProjectionNetworkLevel, Membership>>>();

/** The Membership of a level, built on first use and kept with the projection (dropped with it). */
function membershipOf(projection: AnalysisProjection, level: ProjectionNetworkLevel): Membership {
  let byLevel = memberships.get(projection);
  if (!byLevel) {
    byLevel = {};
    memberships.set(projection, byLevel);
  }
  const membership = byLevel[level] ?? buildMembership(projection, level);
  byLevel[level] = membership;
  return membership;
}

function buildMembership(projection: AnalysisProjection, level: ProjectionNetworkLevel): Membership {
  const table = level === "COUNTRY" ? projection.countries : projection.organisations;
  const size = table.ids.length;
  const order = table.ids.map((_, i) => i).sort((a, b) => compareIds(table.ids[a]!, table.ids[b]!));
  const rankOf = new Int32Array(size);
  order.forEach((entity, rank) => {
    rankOf[entity] = rank;
  });
  const projectCount = projection.projects.ids.length;
  // Per project the entities as addParticipations sums them (per organisation, or per LOCATED_IN), each
  // project's list sorted by rank so that the pair loop below can stop at its own entity.
  const start = new Int32Array(projectCount + 1);
  const entity: number[] = [];
  const cents: number[] = [];
  const scratch = new ProjectScratch(size);
  const present: number[] = [];
  for (let p = 0; p < projectCount; p++) {
    addParticipations(projection, level, p, scratch);
    present.length = 0;
    for (const e of scratch.present) present.push(rankOf[e]!);
    present.sort((a, b) => a - b);
    for (const r of present) {
      entity.push(r);
      cents.push(scratch.cents[order[r]!]!);
    }
    start[p + 1] = entity.length;
  }
  const byProject = { start, entity: Int32Array.from(entity), cents: Float64Array.from(cents) };
  const entityStart = new Int32Array(size + 1);
  for (const r of byProject.entity) entityStart[r + 1]! += 1;
  for (let r = 0; r < size; r++) entityStart[r + 1]! += entityStart[r]!;
  const fill = entityStart.slice(0, size);
  const project = new Int32Array(byProject.entity.length);
  const entityCents = new Float64Array(byProject.entity.length);
  for (let p = 0; p < projectCount; p++) {
    for (let k = start[p]!; k < start[p + 1]!; k++) {
      const at = fill[byProject.entity[k]!]!++;
      project[at] = p;
      entityCents[at] = byProject.cents[k]!;
    }
  }
  const names = level === "COUNTRY" ? projection.countries.name : projection.organisations.name;
  return {
    ids: order.map((e) => table.ids[e]!),
    labels: order.map((e) => names[e] ?? table.ids[e]!),
    rankOf,
    byProject,
    byEntity: { start: entityStart, project, cents: entityCents },
  };
}

/** A node as collaboration-network.ts lists it: entity id, label, kind, distinct filtered projects. */
export interface ProjectionNode {
  key: string;
  label: string;
  kind: string;
  weight: number;
}

/** An edge: source id < target id, weight = projects = shared filtered projects, amountEur exact to the cent. */
export interface ProjectionEdge {
  source: string;
  target: string;
  weight: number;
  projects: number;
  amountEur: number;
}

/**
 * A network computed on the projection, kept as typed arrays: objects are made only for what is asked,
 * so a cut to the heaviest `limit` edges does not create (or sort) every edge of the whole network.
 */
export interface ProjectionNetwork {
  /** Edges that passed minWeight. */
  totalEdges: number;
  /** Every node with at least one kept edge, heaviest first, then by id. */
  nodes: () => ProjectionNode[];
  /** Every kept edge, heaviest first, then by source id, then by target id. */
  edges: () => ProjectionEdge[];
  /** The heaviest `limit` edges (in the order of `edges`) and the nodes they touch (in the order of `nodes`). */
  cut: (limit: number) => { nodes: ProjectionNode[]; edges: ProjectionEdge[] };
  /** sourceCount of the filtered projects in which one of the nodes (entity ids) takes part. */
  sourceCountOf: (nodeKeys: ReadonlySet<string>) => number;
  /**
   * The whole network by index without an object per edge: node keys in id (code-unit) order, and
   * each kept edge as indices into them with its weight (in source order, not by weight).
   */
  columns: () => { keys: string[]; graph: ColumnGraph };
  /**
   * The node keys in id order, and the kept pairs as ranks (`source` ascending, each source's targets
   * in no order; `count` pairs, ranks below `entities`); `universe` is the same object for every
   * network of one projection and level, so that the ranks of two of them name the same entities.
   */
  pairColumns: () => PairColumns;
}

/** A network's pairs by entity rank (ProjectionNetwork.pairColumns). */
export interface PairColumns {
  keys: string[];
  source: Int32Array;
  target: Int32Array;
  count: number;
  entities: number;
  universe: object;
  /** The pairs as `source\u0000target` id strings. */
  strings: () => Set<string>;
}

/** Int32/Float64 columns of the kept edges, grown by doubling. */
class EdgeColumns {
  count = 0;
  source: Int32Array;
  target: Int32Array;
  shared: Int32Array;
  cents: Float64Array;

  /** `capacity`: edges before the first growth (any value works; a good guess saves the copies). */
  constructor(capacity = 1024) {
    const length = Math.max(1024, capacity);
    this.source = new Int32Array(length);
    this.target = new Int32Array(length);
    this.shared = new Int32Array(length);
    this.cents = new Float64Array(length);
  }

  push(source: number, target: number, shared: number, cents: number): void {
    if (this.count === this.source.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T): T => {
        const next = new (old.constructor as new (length: number) => T)(old.length * 2);
        next.set(old);
        return next;
      };
      this.source = grow(this.source);
      this.target = grow(this.target);
      this.shared = grow(this.shared);
      this.cents = grow(this.cents);
    }
    this.source[this.count] = source;
    this.target[this.count] = target;
    this.shared[this.count] = shared;
    this.cents[this.count] = cents;
    this.count++;
  }
}

/**
 * The COUNTRY or ORGANISATION network of the filtered projects (`mask`, by project index), with the
 * definitions of collaboration-network.ts (and of the tests' Cypher oracle): an edge per pair of entities
 * that share at least `minWeight` projects, weight = projects = the shared projects, amountEur the sum
 * of both ends' contributions in them (whole cents, so exact); a node's weight its distinct projects.
 *
 * The pairs are counted row by row (the product of the project membership matrix with its transpose):
 * for each entity, a dense accumulator over the entities of higher rank that it shares a project with,
 * reset through the list of those it touched, so no pair is ever looked up by key. Edges come out
 * ordered by source rank, which the cut uses to break ties without sorting every edge.
 */
export function projectionNetwork(
  projection: AnalysisProjection,
  level: ProjectionNetworkLevel,
  mask: Uint8Array,
  minWeight: number,
): ProjectionNetwork {
  const membership = membershipOf(projection, level);
  const counter = new PairCounter(membership, mask, minWeight);
  counter.run(Number.POSITIVE_INFINITY);
  return networkOfPairs(projection, level, membership, mask, counter);
}

/**
 * Milliseconds the pair counting of projectionNetworkSliced runs before it lets the event loop answer
 * other requests (/health/live among them, whose aim is 100 ms): an organisation network of a whole
 * framework programme counts pairs for 180-370 ms.
 */
export const PAIR_SLICE_MS = 15;

/**
 * projectionNetwork with its pair counting cut into slices of about PAIR_SLICE_MS, the event loop
 * served between them: the same network, never the main thread held for the whole count. The server's
 * analyses use it; the counting state stays on this thread (nothing is copied to a worker).
 */
export async function projectionNetworkSliced(
  projection: AnalysisProjection,
  level: ProjectionNetworkLevel,
  mask: Uint8Array,
  minWeight: number,
  sliceMs = PAIR_SLICE_MS,
): Promise<ProjectionNetwork> {
  const membership = membershipOf(projection, level);
  const counter = new PairCounter(membership, mask, minWeight);
  while (!counter.run(performance.now() + sliceMs)) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return networkOfPairs(projection, level, membership, mask, counter);
}

/** The ProjectionNetwork of counted pairs (PairCounter after its last slice). */
function networkOfPairs(
  projection: AnalysisProjection,
  level: ProjectionNetworkLevel,
  membership: Membership,
  mask: Uint8Array,
  { weight, kept }: { weight: Int32Array; kept: EdgeColumns },
): ProjectionNetwork {
  const { ids, labels, byProject } = membership;
  const size = ids.length;
  const kind = level === "COUNTRY" ? "Country" : "Organisation";

  // Heaviest first, then source id, then target id: ranks compare as the ids do.
  const byWeightThenIds = (x: number, y: number) =>
    kept.shared[y]! - kept.shared[x]! ||
    kept.source[x]! - kept.source[y]! ||
    kept.target[x]! - kept.target[y]!;
  const edgeAt = (i: number): ProjectionEdge => ({
    source: ids[kept.source[i]!]!,
    target: ids[kept.target[i]!]!,
    weight: kept.shared[i]!,
    projects: kept.shared[i]!,
    amountEur: eurFromCents(kept.cents[i]!),
  });
  // Nodes by weight desc, then id (rank).
  const nodesOf = (used: Uint8Array): ProjectionNode[] => {
    const listed: number[] = [];
    for (let r = 0; r < size; r++) if (used[r]) listed.push(r);
    listed.sort((x, y) => weight[y]! - weight[x]! || x - y);
    return listed.map((r) => ({ key: ids[r]!, label: labels[r]!, kind, weight: weight[r]! }));
  };
  const nodesOfEdges = (edges: Iterable<number>): ProjectionNode[] => {
    const used = new Uint8Array(size);
    for (const i of edges) {
      used[kept.source[i]!] = 1;
      used[kept.target[i]!] = 1;
    }
    return nodesOf(used);
  };
  const all = function* () {
    for (let i = 0; i < kept.count; i++) yield i;
  };

  return {
    totalEdges: kept.count,
    nodes: () => nodesOfEdges(all()),
    edges: () => {
      const order = Int32Array.from(all());
      order.sort(byWeightThenIds);
      return Array.from(order, edgeAt);
    },
    cut: (limit) => {
      const chosen = heaviest(kept, limit);
      chosen.sort(byWeightThenIds);
      return { nodes: nodesOfEdges(chosen), edges: chosen.map(edgeAt) };
    },
    columns: () => columnsOf(ids, kept, size),
    pairColumns: () => ({
      keys: columnsKeys(ids, kept, size).keys,
      source: kept.source.subarray(0, kept.count),
      target: kept.target.subarray(0, kept.count),
      count: kept.count,
      entities: size,
      universe: membership,
      strings: () => {
        const pairs = new Set<string>();
        for (let i = 0; i < kept.count; i++)
          pairs.add(`${ids[kept.source[i]!]}\u0000${ids[kept.target[i]!]}`);
        return pairs;
      },
    }),
    sourceCountOf: (nodeKeys) => {
      const listed = new Uint8Array(size);
      for (const key of nodeKeys) {
        const entity = (level === "COUNTRY" ? projection.countries : projection.organisations).index.get(key);
        if (entity !== undefined) listed[membership.rankOf[entity]!] = 1;
      }
      const counted = new Uint8Array(mask.length);
      for (let p = 0; p < mask.length; p++) {
        if (!mask[p]) continue;
        for (let k = byProject.start[p]!; k < byProject.start[p + 1]!; k++) {
          if (listed[byProject.entity[k]!]) {
            counted[p] = 1;
            break;
          }
        }
      }
      return projectionSourceCountOfProjects(projection, counted);
    },
  };
}

/** The ranks that an edge touches, in rank order (= id order), and each rank's position among them. */
function columnsKeys(
  ids: string[],
  kept: EdgeColumns,
  size: number,
): { keys: string[]; position: Int32Array } {
  const used = new Uint8Array(size);
  for (let i = 0; i < kept.count; i++) {
    used[kept.source[i]!] = 1;
    used[kept.target[i]!] = 1;
  }
  const position = new Int32Array(size).fill(-1);
  const keys: string[] = [];
  for (let r = 0; r < size; r++) if (used[r]) position[r] = keys.push(ids[r]!) - 1;
  return { keys, position };
}

/** ProjectionNetwork.columns: the kept edges as indices into the keys of their ends. */
function columnsOf(ids: string[], kept: EdgeColumns, size: number): { keys: string[]; graph: ColumnGraph } {
  const { keys, position } = columnsKeys(ids, kept, size);
  const graph = {
    order: keys.length,
    source: new Int32Array(kept.count),
    target: new Int32Array(kept.count),
    weight: new Float64Array(kept.count),
  };
  for (let i = 0; i < kept.count; i++) {
    graph.source[i] = position[kept.source[i]!]!;
    graph.target[i] = position[kept.target[i]!]!;
    graph.weight[i] = kept.shared[i]!;
  }
  return { keys, graph };
}

/**
 * The accumulators of one PairCounter, one slot per entity: `stamp` says which source entity last
 * reset a slot (-1: none), so a counter needs them filled with -1 only once it starts.
 */
interface CounterScratch {
  stamp: Int32Array;
  shared: Int32Array;
  both: Float64Array;
  touched: Int32Array;
}

/**
 * Accumulators returned by finished counters, per Membership: a series counts several networks of the
 * same entities in a row, and four arrays per entity level and network were most of its garbage.
 * Counters that run at the same time (sliced, on concurrent requests) each take their own.
 */
const scratchPool = new WeakMap<Membership, CounterScratch[]>();

function takeScratch(membership: Membership): CounterScratch {
  const reused = scratchPool.get(membership)?.pop();
  if (reused) {
    reused.stamp.fill(-1);
    return reused;
  }
  const size = membership.ids.length;
  return {
    stamp: new Int32Array(size).fill(-1),
    shared: new Int32Array(size),
    both: new Float64Array(size),
    touched: new Int32Array(size),
  };
}

/** Keeps a finished counter's accumulators for the next one (at most two per Membership: one per core). */
function returnScratch(membership: Membership, scratch: CounterScratch): void {
  const pool = scratchPool.get(membership) ?? [];
  if (pool.length < 2) pool.push(scratch);
  scratchPool.set(membership, pool);
}

/** The edge count of the last network counted on a Membership (PairCounter's starting capacity). */
const lastEdgeCount = new WeakMap<Membership, number>();

/**
 * The pair counting of `projectionNetwork`: each entity's weight (its projects within `mask`) and the
 * pairs sharing at least `minWeight` of them, with the sum of both ends' contributions in whole cents.
 * Counted source entity by source entity, so that it can stop between two (run) and go on later.
 */
class PairCounter {
  readonly weight: Int32Array;
  readonly kept: EdgeColumns;
  private readonly scratch: CounterScratch;
  private next = 0;

  constructor(
    private readonly membership: Membership,
    private readonly mask: Uint8Array,
    private readonly minWeight: number,
  ) {
    const size = membership.ids.length;
    // Networks of one level are of similar sizes from request to request (a series counts several in a
    // row): starting near the last one's edge count spares most of the doublings and their garbage.
    this.kept = new EdgeColumns(Math.ceil((lastEdgeCount.get(membership) ?? 0) * 1.25));
    this.weight = new Int32Array(size);
    this.scratch = takeScratch(membership);
  }

  /** Counts the pairs of the next source entities until `untilMs` (performance.now()); true when all are done. */
  run(untilMs: number): boolean {
    const size = this.membership.ids.length;
    const { weight, kept, mask, minWeight } = this;
    const { stamp, shared, both, touched } = this.scratch;
    // Hoisted: the loop below is the whole cost of a request.
    const { start: entityStart, project: entityProject, cents: entityCents } = this.membership.byEntity;
    const { start: projectStart, entity: projectEntity, cents: projectCents } = this.membership.byProject;
    let a = this.next;
    for (; a < size; a++) {
      // The clock is read every 16 entities: reading it costs more than most entities' work.
      if ((a & 15) === 0 && a > this.next && performance.now() >= untilMs) break;
      let count = 0;
      for (let k = entityStart[a]!; k < entityStart[a + 1]!; k++) {
        const p = entityProject[k]!;
        if (!mask[p]) continue;
        weight[a]! += 1;
        const own = entityCents[k]!;
        // The project's entities are in ascending rank: those after `a` are the pairs with a as source.
        for (let j = projectStart[p + 1]! - 1; j >= projectStart[p]!; j--) {
          const b = projectEntity[j]!;
          if (b <= a) break;
          if (stamp[b] !== a) {
            stamp[b] = a;
            shared[b] = 0;
            both[b] = 0;
            touched[count++] = b;
          }
          shared[b]! += 1;
          both[b]! += own + projectCents[j]!;
        }
      }
      for (let t = 0; t < count; t++) {
        const b = touched[t]!;
        if (shared[b]! >= minWeight) kept.push(a, b, shared[b]!, both[b]!);
      }
    }
    this.next = a;
    if (a >= size) {
      lastEdgeCount.set(this.membership, kept.count);
      returnScratch(this.membership, this.scratch);
    }
    return a >= size;
  }
}

/**
 * The indices of the `limit` first edges in the order heaviest first, then source rank, then target
 * rank, without sorting them all: every edge heavier than the weight at which the cut falls, and of the
 * edges of that weight the first by ranks. `kept` is in ascending source rank (targets unordered
 * within a source), so only the source group that straddles the cut needs its targets sorted.
 */
function heaviest(kept: EdgeColumns, limit: number): number[] {
  if (kept.count <= limit) return Array.from({ length: kept.count }, (_, i) => i);
  let maxWeight = 0;
  for (let i = 0; i < kept.count; i++) maxWeight = Math.max(maxWeight, kept.shared[i]!);
  const ofWeight = new Int32Array(maxWeight + 1);
  for (let i = 0; i < kept.count; i++) ofWeight[kept.shared[i]!]! += 1;
  // The cut's weight: fewer than `limit` edges are heavier, at least `limit` are this heavy or more.
  let cutWeight = maxWeight;
  let heavier = 0;
  while (heavier + ofWeight[cutWeight]! < limit) heavier += ofWeight[cutWeight--]!;
  const chosen: number[] = [];
  const atCut: number[] = [];
  const needed = limit - heavier;
  let lastSource = -1;
  for (let i = 0; i < kept.count; i++) {
    const w = kept.shared[i]!;
    if (w > cutWeight) chosen.push(i);
    else if (w === cutWeight) {
      // Whole source groups are taken until `needed` is reached; a later source cannot come first.
      if (atCut.length >= needed && kept.source[i] !== lastSource) continue;
      atCut.push(i);
      lastSource = kept.source[i]!;
    }
  }
  atCut.sort((x, y) => kept.source[x]! - kept.source[y]! || kept.target[x]! - kept.target[y]!);
  for (let k = 0; k < needed; k++) chosen.push(atCut[k]!);
  return chosen;
}
