/**
 * The Leiden algorithm (V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing
 * well-connected communities", Scientific Reports 9, 5233, 2019), ported from the paper's pseudo-code
 * (its supplementary Algorithm A.2) with the choices of igraph's C implementation (igraph_community_leiden)
 * where the paper leaves one open: refinement picks among well-connected communities at random with
 * probability proportional to exp(gain / theta), theta = 0.01, in the quality's own units; when refinement
 * merges nothing, the level is aggregated by the unrefined partition. Iterations repeat from the last
 * partition until it no longer changes, at most MAX_ITERATIONS.
 *
 * Why a port: npm has no Leiden implementation that keeps the algorithm's guarantee (the one package
 * found, ngraph.leiden 0.2.0, refines greedily without the well-connectedness condition and restarts each
 * level from singletons, and its modularity has no resolution); graphology has Louvain only.
 *
 * Quality functions, on an undirected weighted graph with total edge weight m, node strengths k and
 * community c's internal weight w_c, total strength K_c and node count n_c:
 * - MODULARITY (Reichardt-Bornholdt configuration model): Q = sum_c [ w_c / m - resolution * (K_c / 2m)^2 ],
 *   the same as networkx.community.modularity(G, communities, weight, resolution).
 * - CPM (constant Potts model): H = sum_c [ w_c - resolution * n_c (n_c - 1) / 2 ], in units of weight.
 */

export type LeidenQuality = "MODULARITY" | "CPM";

export interface LeidenOptions {
  quality: LeidenQuality;
  /** gamma: higher gives more, smaller communities. Must be >= 0. */
  resolution: number;
  /** Seeds the random node orders and refinement choices: a seed gives one answer. */
  random: () => number;
}

export interface LeidenResult {
  /** Community of each node, by node index, numbered 0.. in order of first appearance by index. */
  membership: Int32Array;
  /** The quality of the membership (see above). */
  quality: number;
  iterations: number;
}

/** An undirected weighted graph by node index: each edge once (i !== j; a pair may repeat, weights add). */
export interface IndexedGraph {
  order: number;
  edges: readonly { source: number; target: number; weight: number }[];
}

/**
 * The same graph as columns (edge k is source[k]-target[k] with weight[k]): what a worker thread is
 * sent, since typed arrays are copied as one block where a million edge objects are cloned one by one.
 */
export interface ColumnGraph {
  order: number;
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
}

/** Either form, as columns (the objects' order kept). */
export function columnsOf(graph: IndexedGraph | ColumnGraph): ColumnGraph {
  if ("source" in graph) return graph;
  const count = graph.edges.length;
  const columns = {
    order: graph.order,
    source: new Int32Array(count),
    target: new Int32Array(count),
    weight: new Float64Array(count),
  };
  graph.edges.forEach((edge, k) => {
    columns.source[k] = edge.source;
    columns.target[k] = edge.target;
    columns.weight[k] = edge.weight;
  });
  return columns;
}

const THETA = 0.01;
// CWTS's RunNetworkClustering (the Leiden implementation behind VOSviewer) runs 10 iterations by
// default; igraph and leidenalg run 2. On a whole programme's organisation network (all of Horizon
// Europe: 30,721 organisations, 871,834 edges) the partition never stops changing: iterations 11 to 20
// raised modularity from 0.42952 to 0.42961 and doubled the time of a run (2.2-3.3 s in all).
const MAX_ITERATIONS = 10;

/**
 * The working graph of one level as compressed rows (CSR): node i's neighbours are
 * neighbours[offsets[i]..offsets[i+1]), in index order, without self-loops, with their weights.
 */
interface Level {
  n: number;
  offsets: Int32Array;
  neighbours: Int32Array;
  weights: Float64Array;
  /** Weight of the node's self-loop (edges inside an aggregated node), counted once. */
  self: Float64Array;
  /** Original nodes inside. */
  size: Float64Array;
  /** Sum of incident weights, a self-loop counted twice. */
  strength: Float64Array;
}

/**
 * Directed entries (row, col, weight) in the order they were added, to be summed per (row, col). The
 * sums are made in that same order (a stable sort), so a level's weights do not depend on how its rows
 * are stored.
 */
class Entries {
  count = 0;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly weights: Float64Array;

  constructor(capacity: number) {
    this.rows = new Int32Array(capacity);
    this.cols = new Int32Array(capacity);
    this.weights = new Float64Array(capacity);
  }

  /** Both directions of an undirected pair. */
  pair(a: number, b: number, weight: number): void {
    const k = this.count;
    this.rows[k] = a;
    this.cols[k] = b;
    this.weights[k] = weight;
    this.rows[k + 1] = b;
    this.cols[k + 1] = a;
    this.weights[k + 1] = weight;
    this.count = k + 2;
  }
}

/**
 * A Level of n nodes from its entries: rows in index order; the entries of one (row, col) are summed in
 * the order they were added (as a map per row would), so the weights do not depend on the storage.
 */
function levelFrom(n: number, entries: Entries, self: Float64Array, size: Float64Array): Level {
  const { count, rows, cols, weights: entryWeights } = entries;
  // The entries bucketed by row, in the order added (a stable counting sort).
  const rowStart = new Int32Array(n + 1);
  for (let k = 0; k < count; k++) rowStart[rows[k]! + 1]! += 1;
  for (let i = 0; i < n; i++) rowStart[i + 1]! += rowStart[i]!;
  const fill = rowStart.slice(0, n);
  const bucketCols = new Int32Array(count);
  const bucketWeights = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const at = fill[rows[k]!]!++;
    bucketCols[at] = cols[k]!;
    bucketWeights[at] = entryWeights[k]!;
  }
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(count);
  const weights = new Float64Array(count);
  const strength = new Float64Array(n);
  const sum = new Float64Array(n);
  const seen = new Uint8Array(n);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    const first = filled;
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
      const j = bucketCols[k]!;
      if (!seen[j]) {
        seen[j] = 1;
        neighbours[filled++] = j;
      }
      sum[j]! += bucketWeights[k]!;
    }
    // Neighbours in index order: the answer must not depend on insertion order.
    neighbours.subarray(first, filled).sort();
    let total = 0;
    for (let k = first; k < filled; k++) {
      const j = neighbours[k]!;
      weights[k] = sum[j]!;
      total += sum[j]!;
      sum[j] = 0;
      seen[j] = 0;
    }
    offsets[i + 1] = filled;
    strength[i] = total + 2 * self[i]!;
  }
  return {
    n,
    offsets,
    neighbours: filled === count ? neighbours : neighbours.slice(0, filled),
    weights: filled === count ? weights : weights.slice(0, filled),
    self,
    size,
    strength,
  };
}

function levelOf(graph: ColumnGraph): Level {
  const self = new Float64Array(graph.order);
  const entries = new Entries(2 * graph.source.length);
  for (let k = 0; k < graph.source.length; k++) {
    const source = graph.source[k]!;
    const target = graph.target[k]!;
    const weight = graph.weight[k]!;
    if (!(weight >= 0) || !Number.isFinite(weight))
      throw new Error(`leiden: edge weight ${weight} is not >= 0`);
    if (source === target) self[source]! += weight;
    else entries.pair(source, target, weight);
  }
  return levelFrom(graph.order, entries, self, new Float64Array(graph.order).fill(1));
}

/**
 * The cost side of a quality function: a node's "norm" and the factor that turns norm products into
 * weight. Modularity: strength and resolution / 2m. CPM: size and resolution.
 */
function penalty(
  level: Level,
  options: LeidenOptions,
  totalWeight: number,
): { norm: Float64Array; factor: number } {
  return options.quality === "MODULARITY"
    ? { norm: level.strength, factor: totalWeight > 0 ? options.resolution / (2 * totalWeight) : 0 }
    : { norm: level.size, factor: options.resolution };
}

function shuffled(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * MoveNodesFast: visits nodes from a queue (random order at first), moves each to the neighbouring (or an
 * empty) community of largest gain when the gain is positive, and queues its neighbours outside the new
 * community. Changes `membership` in place. The queue is a ring of n slots: a node is in it at most once.
 */
function moveNodesFast(
  level: Level,
  membership: Int32Array,
  norm: Float64Array,
  factor: number,
  random: () => number,
): void {
  const { n, offsets, neighbours, weights } = level;
  const communityNorm = new Float64Array(n);
  const communityCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    communityNorm[membership[i]!]! += norm[i]!;
    communityCount[membership[i]!]! += 1;
  }
  const empty = new Int32Array(n);
  let emptyCount = 0;
  for (let c = n - 1; c >= 0; c--) if (communityCount[c] === 0) empty[emptyCount++] = c;
  const queue = shuffled(n, random);
  let head = 0;
  let queued = n;
  const inQueue = new Uint8Array(n).fill(1);
  // The weight from the node to each neighbouring community, and which those are.
  const toCommunity = new Float64Array(n);
  const touched = new Int32Array(n);
  while (queued > 0) {
    const v = queue[head]!;
    head = head + 1 === n ? 0 : head + 1;
    queued -= 1;
    inQueue[v] = 0;
    const old = membership[v]!;
    const first = offsets[v]!;
    const last = offsets[v + 1]!;
    let touchedCount = 0;
    for (let k = first; k < last; k++) {
      const c = membership[neighbours[k]!]!;
      // A zero weight leaves the slot at 0, so a community may be listed twice: harmless.
      if (toCommunity[c] === 0) touched[touchedCount++] = c;
      toCommunity[c]! += weights[k]!;
    }
    const normV = norm[v]!;
    communityNorm[old]! -= normV;
    communityCount[old]! -= 1;
    let best = old;
    let bestGain = toCommunity[old]! - factor * normV * communityNorm[old]!;
    for (let t = 0; t < touchedCount; t++) {
      const c = touched[t]!;
      const gain = toCommunity[c]! - factor * normV * communityNorm[c]!;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    // An empty community: gain 0 (no tie, no cost).
    if (bestGain < 0) {
      if (communityCount[old] === 0) best = old;
      else if (emptyCount > 0) best = empty[--emptyCount]!;
    }
    membership[v] = best;
    communityNorm[best]! += normV;
    communityCount[best]! += 1;
    if (communityCount[old] === 0 && old !== best) empty[emptyCount++] = old;
    if (best !== old) {
      for (let k = first; k < last; k++) {
        const u = neighbours[k]!;
        if (membership[u] !== best && !inQueue[u]) {
          inQueue[u] = 1;
          const tail = head + queued;
          queue[tail >= n ? tail - n : tail] = u;
          queued += 1;
        }
      }
    }
    for (let t = 0; t < touchedCount; t++) toCommunity[touched[t]!] = 0;
  }
}

/**
 * One merge of refinePartition: among the candidates (the first is staying alone, gain 0), one drawn
 * with probability proportional to exp(gain / THETA).
 */
function drawCandidate(
  candidates: Int32Array,
  gains: Float64Array,
  odds: Float64Array,
  count: number,
  random: () => number,
): number {
  // exp((gain - max) / theta): the same proportions as exp(gain / theta), without overflow.
  let max = gains[0]!;
  for (let k = 1; k < count; k++) if (gains[k]! > max) max = gains[k]!;
  let total = 0;
  for (let k = 0; k < count; k++) {
    odds[k] = Math.exp((gains[k]! - max) / THETA);
    total += odds[k]!;
  }
  let draw = random() * total;
  for (let k = 0; k < count; k++) {
    draw -= odds[k]!;
    if (draw < 0) return candidates[k]!;
  }
  return candidates[count - 1]!;
}

/**
 * RefinePartition: within each community of `membership`, starts from singletons and merges each
 * well-connected singleton node into a well-connected refined community of the same community, chosen at
 * random with probability proportional to exp(gain / THETA) among those of gain >= 0 (staying alone
 * included). Returns the refined membership.
 */
function refinePartition(
  level: Level,
  membership: Int32Array,
  norm: Float64Array,
  factor: number,
  random: () => number,
): Int32Array {
  const { n, offsets, neighbours, weights } = level;
  const refined = new Int32Array(n);
  for (let i = 0; i < n; i++) refined[i] = i;
  // Per community S of the unrefined partition: its norm ||S||.
  const setNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) setNorm[membership[i]!]! += norm[i]!;
  // Per refined community: its norm, its node count, and its weight to the rest of its S.
  const refinedNorm = Float64Array.from(norm);
  const refinedCount = new Int32Array(n).fill(1);
  const external = new Float64Array(n);
  for (let v = 0; v < n; v++)
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++)
      if (membership[neighbours[k]!] === membership[v]) external[v]! += weights[k]!;
  // The weight from the node to each refined community of its S, and which those are.
  const toRefined = new Float64Array(n);
  const touched = new Int32Array(n);
  const candidates = new Int32Array(n + 1);
  const gains = new Float64Array(n + 1);
  const odds = new Float64Array(n + 1);
  const order = shuffled(n, random);
  for (let o = 0; o < n; o++) {
    const v = order[o]!;
    const s = membership[v]!;
    // Only a node still alone, and well connected to the rest of its community, is merged.
    if (refinedCount[refined[v]!] !== 1 || refined[v] !== v) continue;
    const normV = norm[v]!;
    const rest = setNorm[s]!;
    if (external[v]! < factor * normV * (rest - normV)) continue;
    let touchedCount = 0;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const u = neighbours[k]!;
      if (membership[u] !== s) continue;
      const c = refined[u]!;
      if (toRefined[c] === 0) touched[touchedCount++] = c;
      toRefined[c]! += weights[k]!;
    }
    candidates[0] = v;
    gains[0] = 0;
    let count = 1;
    for (let t = 0; t < touchedCount; t++) {
      const c = touched[t]!;
      if (c === v) continue;
      // Well connected: the candidate's weight to the rest of S at least its expected share.
      if (external[c]! < factor * refinedNorm[c]! * (rest - refinedNorm[c]!)) continue;
      const gain = toRefined[c]! - factor * normV * refinedNorm[c]!;
      if (gain >= 0) {
        candidates[count] = c;
        gains[count++] = gain;
      }
    }
    const chosen = count > 1 ? drawCandidate(candidates, gains, odds, count, random) : v;
    if (chosen !== v) {
      external[chosen] = external[chosen]! + external[v]! - 2 * toRefined[chosen]!;
      refinedNorm[chosen]! += normV;
      refinedCount[chosen]! += 1;
      refinedCount[v] = 0;
      refined[v] = chosen;
    }
    for (let t = 0; t < touchedCount; t++) toRefined[touched[t]!] = 0;
  }
  return refined;
}

/** Community ids 0.. in order of first appearance by index (ids must be >= 0); returns the count. */
function renumber(membership: Int32Array): number {
  let max = -1;
  for (let i = 0; i < membership.length; i++) if (membership[i]! > max) max = membership[i]!;
  const ids = new Int32Array(max + 1).fill(-1);
  let count = 0;
  for (let i = 0; i < membership.length; i++) {
    const c = membership[i]!;
    if (ids[c] === -1) ids[c] = count++;
    membership[i] = ids[c]!;
  }
  return count;
}

/**
 * The graph of the communities of `membership` (ids 0..count-1): weights summed, inner ones as self-loops.
 * Built community by community (its members in index order), one pass over the adjacency.
 */
function aggregate(level: Level, membership: Int32Array, count: number): Level {
  const { n, offsets, neighbours, weights, self: innerWeight, size: innerSize } = level;
  const memberStart = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) memberStart[membership[i]! + 1]! += 1;
  for (let c = 0; c < count; c++) memberStart[c + 1]! += memberStart[c]!;
  const fill = memberStart.slice(0, count);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[membership[i]!]!++] = i;
  const self = new Float64Array(count);
  const size = new Float64Array(count);
  const nextOffsets = new Int32Array(count + 1);
  const nextNeighbours = new Int32Array(neighbours.length);
  const nextWeights = new Float64Array(neighbours.length);
  const sum = new Float64Array(count);
  const seen = new Uint8Array(count);
  let filled = 0;
  for (let c = 0; c < count; c++) {
    const first = filled;
    for (let m = memberStart[c]!; m < memberStart[c + 1]!; m++) {
      const i = members[m]!;
      self[c]! += innerWeight[i]!;
      size[c]! += innerSize[i]!;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
        const j = neighbours[k]!;
        const cj = membership[j]!;
        if (cj === c) {
          if (j > i) self[c]! += weights[k]!; // each inner edge once
        } else {
          if (!seen[cj]) {
            seen[cj] = 1;
            nextNeighbours[filled++] = cj;
          }
          sum[cj]! += weights[k]!;
        }
      }
    }
    for (let k = first; k < filled; k++) {
      const cj = nextNeighbours[k]!;
      nextWeights[k] = sum[cj]!;
      sum[cj] = 0;
      seen[cj] = 0;
    }
    nextOffsets[c + 1] = filled;
  }
  return transposed(count, nextOffsets, nextNeighbours, nextWeights, self, size);
}

/**
 * The level of a symmetric matrix whose rows are not in index order: its transpose (the same matrix),
 * which a counting pass writes with every row in index order, cheaper than sorting each row.
 */
function transposed(
  n: number,
  offsets: Int32Array,
  neighbours: Int32Array,
  weights: Float64Array,
  self: Float64Array,
  size: Float64Array,
): Level {
  const nnz = offsets[n]!;
  const fill = offsets.slice(0, n);
  const sortedNeighbours = new Int32Array(nnz);
  const sortedWeights = new Float64Array(nnz);
  for (let r = 0; r < n; r++) {
    for (let k = offsets[r]!; k < offsets[r + 1]!; k++) {
      const at = fill[neighbours[k]!]!++;
      sortedNeighbours[at] = r;
      sortedWeights[at] = weights[k]!;
    }
  }
  const strength = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let total = 0;
    for (let k = offsets[r]!; k < offsets[r + 1]!; k++) total += sortedWeights[k]!;
    strength[r] = total + 2 * self[r]!;
  }
  return { n, offsets, neighbours: sortedNeighbours, weights: sortedWeights, self, size, strength };
}

/** One iteration of Leiden (Algorithm A.2) from `start` (a membership of the base graph); returns the new one. */
function leidenIteration(
  base: Level,
  start: Int32Array,
  options: LeidenOptions,
  totalWeight: number,
): Int32Array {
  let level = base;
  // The base graph's node -> the current level's node.
  const nodeOf = new Int32Array(base.n);
  for (let i = 0; i < base.n; i++) nodeOf[i] = i;
  let membership = Int32Array.from(start);
  for (;;) {
    const { norm, factor } = penalty(level, options, totalWeight);
    moveNodesFast(level, membership, norm, factor, options.random);
    const count = renumber(membership);
    if (count === level.n) break;
    const refined = refinePartition(level, membership, norm, factor, options.random);
    let refinedCount = renumber(refined);
    // Refinement merged nothing: aggregate by the partition itself (as igraph does), or nothing moves on.
    const by = refinedCount === level.n ? membership : refined;
    if (refinedCount === level.n) refinedCount = count;
    const next = aggregate(level, by, refinedCount);
    // The aggregate's nodes start in the unrefined community of their members.
    const nextMembership = new Int32Array(refinedCount);
    for (let i = 0; i < level.n; i++) nextMembership[by[i]!] = membership[i]!;
    for (let i = 0; i < base.n; i++) nodeOf[i] = by[nodeOf[i]!]!;
    level = next;
    membership = nextMembership;
  }
  const flat = new Int32Array(base.n);
  for (let i = 0; i < base.n; i++) flat[i] = membership[nodeOf[i]!]!;
  renumber(flat);
  return flat;
}

/**
 * A graph made ready for Leiden once (its adjacency and total weight), for any number of runs.
 * Errors: a negative or non-finite edge weight (plain Error).
 */
export interface PreparedGraph {
  graph: ColumnGraph;
  base: Level;
  totalWeight: number;
}

/** Prepares `graph` for `leiden` (see PreparedGraph); throws on a negative or non-finite weight. */
export function prepareGraph(graph: IndexedGraph | ColumnGraph): PreparedGraph {
  const columns = columnsOf(graph);
  let totalWeight = 0;
  for (let k = 0; k < columns.weight.length; k++) totalWeight += columns.weight[k]!;
  return { graph: columns, base: levelOf(columns), totalWeight };
}

/**
 * Leiden communities of `graph` (or of a graph prepared once for several runs). Deterministic for a
 * given `random` (seeded) and graph. Errors: a negative or non-finite weight or resolution (plain
 * Error: the caller checks its arguments first).
 */
export function leiden(
  graph: IndexedGraph | ColumnGraph | PreparedGraph,
  options: LeidenOptions,
): LeidenResult {
  if (!(options.resolution >= 0) || !Number.isFinite(options.resolution))
    throw new Error(`leiden: resolution ${options.resolution} is not >= 0`);
  const prepared = "base" in graph ? graph : prepareGraph(graph);
  const { base, totalWeight } = prepared;
  let membership: Int32Array = new Int32Array(base.n);
  for (let i = 0; i < base.n; i++) membership[i] = i;
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    iterations += 1;
    const next = leidenIteration(base, membership, options, totalWeight);
    const same = next.every((c, i) => c === membership[i]);
    membership = next;
    if (same) break;
  }
  return { membership, quality: qualityOf(prepared.graph, membership, options), iterations };
}

/** The quality (see the module comment) of a membership of `graph` (community ids any integers). */
export function qualityOf(
  graph: IndexedGraph | ColumnGraph,
  membership: ArrayLike<number>,
  options: Pick<LeidenOptions, "quality" | "resolution">,
): number {
  const columns = columnsOf(graph);
  // Communities numbered by first appearance by node index: the order in which they are summed.
  const dense = new Map<number, number>();
  const communityOf = new Int32Array(columns.order);
  for (let i = 0; i < columns.order; i++) {
    let id = dense.get(membership[i]!);
    if (id === undefined) {
      id = dense.size;
      dense.set(membership[i]!, id);
    }
    communityOf[i] = id;
  }
  const internal = new Float64Array(dense.size);
  const strength = new Float64Array(dense.size);
  const count = new Float64Array(dense.size);
  for (let i = 0; i < columns.order; i++) count[communityOf[i]!]! += 1;
  let m = 0;
  for (let k = 0; k < columns.source.length; k++) {
    const weight = columns.weight[k]!;
    m += weight;
    const a = communityOf[columns.source[k]!]!;
    const b = communityOf[columns.target[k]!]!;
    strength[a]! += weight;
    strength[b]! += weight;
    if (a === b) internal[a]! += weight;
  }
  let quality = 0;
  for (let c = 0; c < dense.size; c++) {
    const w = internal[c]!;
    const n = count[c]!;
    if (options.quality === "MODULARITY") {
      if (m > 0) quality += w / m - options.resolution * (strength[c]! / (2 * m)) ** 2;
    } else quality += w - (options.resolution * n * (n - 1)) / 2;
  }
  return quality;
}

/** Runs of one graph with several seeds: each run's membership and quality, in the order of the seeds. */
export interface SeedRuns {
  memberships: Int32Array[];
  qualities: number[];
}

/**
 * `leiden` on one graph once per seed in `seeds` (each run seeded with `random(seed)`), the adjacency
 * built once. What a worker thread of leiden-runs.ts computes: this module imports nothing heavy.
 */
export function leidenSeeds(
  graph: IndexedGraph | ColumnGraph,
  options: Omit<LeidenOptions, "random">,
  seeds: readonly number[],
  random: (seed: number) => () => number,
): SeedRuns {
  const prepared = prepareGraph(graph);
  const memberships: Int32Array[] = [];
  const qualities: number[] = [];
  for (const seed of seeds) {
    const run = leiden(prepared, { ...options, random: random(seed) });
    memberships.push(run.membership);
    qualities.push(run.quality);
  }
  return { memberships, qualities };
}
