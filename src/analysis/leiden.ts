/**
 * The Leiden algorithm (V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing
 * well-connected communities", Scientific Reports 9, 5233, 2019), ported from the paper's pseudo-code
 * (its supplementary Algorithm A.2) with the choices of igraph's C implementation (igraph_community_leiden)
 * where the paper leaves one open: refinement picks among well-connected communities at random with
 * probability proportional to exp(gain / theta), theta = 0.01, in the quality's own units; when refinement
 * merges nothing, the level is aggregated by the unrefined partition. Iterations repeat from the last
 * partition until it no longer changes (at most MAX_ITERATIONS).
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

const THETA = 0.01;
const MAX_ITERATIONS = 20;

/** The working graph of one level: adjacency without self-loops, self weight, size and strength per node. */
interface Level {
  n: number;
  neighbours: Int32Array[];
  weights: Float64Array[];
  /** Weight of the node's self-loop (edges inside an aggregated node), counted once. */
  self: Float64Array;
  /** Original nodes inside. */
  size: Float64Array;
  /** Sum of incident weights, a self-loop counted twice. */
  strength: Float64Array;
}

function levelOf(graph: IndexedGraph): Level {
  const lists: Map<number, number>[] = Array.from({ length: graph.order }, () => new Map());
  const self = new Float64Array(graph.order);
  for (const { source, target, weight } of graph.edges) {
    if (!(weight >= 0) || !Number.isFinite(weight))
      throw new Error(`leiden: edge weight ${weight} is not >= 0`);
    if (source === target) self[source]! += weight;
    else {
      lists[source]!.set(target, (lists[source]!.get(target) ?? 0) + weight);
      lists[target]!.set(source, (lists[target]!.get(source) ?? 0) + weight);
    }
  }
  return fromLists(lists, self, new Float64Array(graph.order).fill(1));
}

function fromLists(lists: Map<number, number>[], self: Float64Array, size: Float64Array): Level {
  const n = lists.length;
  const neighbours: Int32Array[] = [];
  const weights: Float64Array[] = [];
  const strength = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Neighbours in index order: the answer must not depend on insertion order.
    const entries = [...lists[i]!].sort((a, b) => a[0] - b[0]);
    neighbours.push(Int32Array.from(entries, ([j]) => j));
    weights.push(Float64Array.from(entries, ([, w]) => w));
    strength[i] = entries.reduce((sum, [, w]) => sum + w, 0) + 2 * self[i]!;
  }
  return { n, neighbours, weights, self, size, strength };
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
 * community. Changes `membership` in place.
 */
function moveNodesFast(
  level: Level,
  membership: Int32Array,
  norm: Float64Array,
  factor: number,
  random: () => number,
): void {
  const { n } = level;
  const communityNorm = new Float64Array(n);
  const communityCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    communityNorm[membership[i]!]! += norm[i]!;
    communityCount[membership[i]!]! += 1;
  }
  const empty: number[] = [];
  for (let c = n - 1; c >= 0; c--) if (communityCount[c] === 0) empty.push(c);
  const queue = Array.from(shuffled(n, random));
  const queued = new Uint8Array(n).fill(1);
  const toCommunity = new Float64Array(n);
  const touched: number[] = [];
  let head = 0;
  while (head < queue.length) {
    const v = queue[head++]!;
    queued[v] = 0;
    const old = membership[v]!;
    const nbrs = level.neighbours[v]!;
    const ws = level.weights[v]!;
    for (let k = 0; k < nbrs.length; k++) {
      const c = membership[nbrs[k]!]!;
      if (toCommunity[c] === 0) touched.push(c);
      toCommunity[c]! += ws[k]!;
    }
    communityNorm[old]! -= norm[v]!;
    communityCount[old]! -= 1;
    let best = old;
    let bestGain = toCommunity[old]! - factor * norm[v]! * communityNorm[old]!;
    for (const c of touched) {
      const gain = toCommunity[c]! - factor * norm[v]! * communityNorm[c]!;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    // An empty community: gain 0 (no tie, no cost).
    if (bestGain < 0) {
      if (communityCount[old] === 0) best = old;
      else {
        const fresh = empty.pop();
        if (fresh !== undefined) best = fresh;
      }
      bestGain = 0;
    }
    membership[v] = best;
    communityNorm[best]! += norm[v]!;
    communityCount[best]! += 1;
    if (communityCount[old] === 0 && old !== best) empty.push(old);
    if (best !== old) {
      for (const u of nbrs) {
        if (membership[u] !== best && !queued[u]) {
          queued[u] = 1;
          queue.push(u);
        }
      }
    }
    for (const c of touched) toCommunity[c] = 0;
    touched.length = 0;
  }
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
  const { n } = level;
  const refined = new Int32Array(n);
  for (let i = 0; i < n; i++) refined[i] = i;
  // Per community S of the unrefined partition: its norm ||S||.
  const setNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) setNorm[membership[i]!]! += norm[i]!;
  // Per refined community: its norm, its node count, and its weight to the rest of its S.
  const refinedNorm = Float64Array.from(norm);
  const refinedCount = new Int32Array(n).fill(1);
  const external = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const nbrs = level.neighbours[v]!;
    const ws = level.weights[v]!;
    for (let k = 0; k < nbrs.length; k++) if (membership[nbrs[k]!] === membership[v]) external[v]! += ws[k]!;
  }
  const toRefined = new Float64Array(n);
  const touched: number[] = [];
  for (const v of shuffled(n, random)) {
    const s = membership[v]!;
    // Only a node still alone, and well connected to the rest of its community, is merged.
    if (refinedCount[refined[v]!] !== 1 || refined[v] !== v) continue;
    if (external[v]! < factor * norm[v]! * (setNorm[s]! - norm[v]!)) continue;
    const nbrs = level.neighbours[v]!;
    const ws = level.weights[v]!;
    for (let k = 0; k < nbrs.length; k++) {
      const u = nbrs[k]!;
      if (membership[u] !== s) continue;
      const c = refined[u]!;
      if (toRefined[c] === 0) touched.push(c);
      toRefined[c]! += ws[k]!;
    }
    const candidates: { c: number; gain: number }[] = [{ c: v, gain: 0 }];
    for (const c of touched) {
      if (c === v) continue;
      // Well connected: the candidate's weight to the rest of S at least its expected share.
      if (external[c]! < factor * refinedNorm[c]! * (setNorm[s]! - refinedNorm[c]!)) continue;
      const gain = toRefined[c]! - factor * norm[v]! * refinedNorm[c]!;
      if (gain >= 0) candidates.push({ c, gain });
    }
    let chosen = v;
    if (candidates.length > 1) {
      // exp((gain - max) / theta): the same proportions as exp(gain / theta), without overflow.
      const max = Math.max(...candidates.map((x) => x.gain));
      const odds = candidates.map((x) => Math.exp((x.gain - max) / THETA));
      let draw = random() * odds.reduce((a, b) => a + b, 0);
      chosen = candidates[candidates.length - 1]!.c;
      for (let k = 0; k < candidates.length; k++) {
        draw -= odds[k]!;
        if (draw < 0) {
          chosen = candidates[k]!.c;
          break;
        }
      }
    }
    if (chosen !== v) {
      external[chosen] = external[chosen]! + external[v]! - 2 * toRefined[chosen]!;
      refinedNorm[chosen]! += norm[v]!;
      refinedCount[chosen]! += 1;
      refinedCount[v] = 0;
      refined[v] = chosen;
    }
    for (const c of touched) toRefined[c] = 0;
    touched.length = 0;
  }
  return refined;
}

/** Community ids 0.. in order of first appearance by index; returns the count. */
function renumber(membership: Int32Array): number {
  const ids = new Map<number, number>();
  for (let i = 0; i < membership.length; i++) {
    const c = membership[i]!;
    let id = ids.get(c);
    if (id === undefined) {
      id = ids.size;
      ids.set(c, id);
    }
    membership[i] = id;
  }
  return ids.size;
}

/** The graph of the communities of `membership` (ids 0..count-1): weights summed, inner ones as self-loops. */
function aggregate(level: Level, membership: Int32Array, count: number): Level {
  const lists: Map<number, number>[] = Array.from({ length: count }, () => new Map());
  const self = new Float64Array(count);
  const size = new Float64Array(count);
  for (let i = 0; i < level.n; i++) {
    const ci = membership[i]!;
    self[ci]! += level.self[i]!;
    size[ci]! += level.size[i]!;
    const nbrs = level.neighbours[i]!;
    const ws = level.weights[i]!;
    for (let k = 0; k < nbrs.length; k++) {
      const j = nbrs[k]!;
      if (j < i) continue; // each edge once
      const cj = membership[j]!;
      if (ci === cj) self[ci]! += ws[k]!;
      else {
        lists[ci]!.set(cj, (lists[ci]!.get(cj) ?? 0) + ws[k]!);
        lists[cj]!.set(ci, (lists[cj]!.get(ci) ?? 0) + ws[k]!);
      }
    }
  }
  return fromLists(lists, self, size);
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
 * Leiden communities of `graph`. Deterministic for a given `random` (seeded) and graph. Errors: a
 * negative or non-finite weight or resolution (plain Error: the caller checks its arguments first).
 */
export function leiden(graph: IndexedGraph, options: LeidenOptions): LeidenResult {
  if (!(options.resolution >= 0) || !Number.isFinite(options.resolution))
    throw new Error(`leiden: resolution ${options.resolution} is not >= 0`);
  const base = levelOf(graph);
  const totalWeight = graph.edges.reduce((sum, edge) => sum + edge.weight, 0);
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
  return { membership, quality: qualityOf(graph, membership, options), iterations };
}

/** The quality (see the module comment) of a membership of `graph`. */
export function qualityOf(
  graph: IndexedGraph,
  membership: ArrayLike<number>,
  options: Pick<LeidenOptions, "quality" | "resolution">,
): number {
  const internal = new Map<number, number>();
  const strength = new Map<number, number>();
  const count = new Map<number, number>();
  let m = 0;
  for (let i = 0; i < graph.order; i++) count.set(membership[i]!, (count.get(membership[i]!) ?? 0) + 1);
  for (const { source, target, weight } of graph.edges) {
    m += weight;
    const a = membership[source]!;
    const b = membership[target]!;
    strength.set(a, (strength.get(a) ?? 0) + weight);
    strength.set(b, (strength.get(b) ?? 0) + weight);
    if (a === b) internal.set(a, (internal.get(a) ?? 0) + weight);
  }
  let quality = 0;
  for (const [c, n] of count) {
    const w = internal.get(c) ?? 0;
    if (options.quality === "MODULARITY") {
      if (m > 0) quality += w / m - options.resolution * ((strength.get(c) ?? 0) / (2 * m)) ** 2;
    } else quality += w - (options.resolution * n * (n - 1)) / 2;
  }
  return quality;
}
