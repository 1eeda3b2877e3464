import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { LRUCache } from "lru-cache";
import { siblingModule, startModuleWorker } from "../util/run-worker.js";
import { seededRandom } from "../util/seeded-random.js";
import {
  type ColumnGraph,
  columnsOf,
  type IndexedGraph,
  type LeidenQuality,
  type LeidenResult,
  leidenSeeds,
  type SeedRuns,
} from "./leiden.js";
import { OFF_THREAD_EDGES } from "./network-metrics.js";

/** One community request's Leiden work: the graph (node indices), the quality, and the seeds to run. */
export interface LeidenRunsInput {
  /** Columns when it goes to a worker: they are copied as blocks. */
  graph: IndexedGraph | ColumnGraph;
  quality: LeidenQuality;
  resolution: number;
  seed: number;
  /** Runs in all, with seeds seed, seed+1, ..., seed+stabilityRuns-1. */
  stabilityRuns: number;
}

/** What a worker thread (leiden-worker.ts) is given: the graph, the quality, and its share of the seeds. */
export interface LeidenSeedsInput {
  graph: ColumnGraph;
  quality: LeidenQuality;
  resolution: number;
  seeds: number[];
}

/**
 * The run with `seed` (the answer), the quality values of all runs, the normalised mutual information
 * of each other run with the answer, and how many runs (the answer's included) found its partition.
 */
export interface LeidenRuns {
  main: Pick<LeidenResult, "membership" | "quality">;
  values: number[];
  agreements: number[];
  identical: number;
}

/** At most this many worker threads share one request's runs (fewer on a machine with fewer cores). */
export const MAX_LEIDEN_WORKERS = 4;

const seedsOf = ({ seed, stabilityRuns }: LeidenRunsInput) =>
  Array.from({ length: stabilityRuns }, (_, k) => seed + k);

/** The answer from the runs of all seeds, in seed order (the first is the answer's). */
function combined(runs: SeedRuns): LeidenRuns {
  const [main, ...others] = runs.memberships;
  let identical = 1;
  const agreements = others.map((other) => {
    if (other.every((c, i) => c === main![i])) identical += 1;
    return normalisedMutualInformation(main!, other);
  });
  return {
    main: { membership: main!, quality: runs.qualities[0]! },
    values: runs.qualities,
    agreements,
    identical,
  };
}

/** The runs of one request, on the calling thread. */
export function leidenRuns(input: LeidenRunsInput): LeidenRuns {
  const { graph, quality, resolution } = input;
  return combined(leidenSeeds(graph, { quality, resolution }, seedsOf(input), seededRandom));
}

/** A long-lived worker thread (leiden-worker.ts) and the replies it owes, by task id. */
interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (runs: SeedRuns) => void; reject: (error: Error) => void }>;
}

const pool: (PoolWorker | undefined)[] = [];
let nextTask = 0;

/**
 * The pool's worker `slot`, started on first use and kept: starting a thread (and, from the sources,
 * tsx's loader in it) costs more than the runs of a country network. Unreferenced while idle, so an
 * idle pool never keeps the process alive; a worker that fails is dropped with its tasks, and the next task
 * starts another.
 */
function poolWorker(slot: number): PoolWorker {
  const known = pool[slot];
  if (known) return known;
  const worker = startModuleWorker(siblingModule(import.meta.url, "leiden-worker"));
  const entry: PoolWorker = { worker, pending: new Map() };
  const fail = (error: Error) => {
    if (pool[slot] === entry) pool[slot] = undefined;
    for (const task of entry.pending.values()) task.reject(error);
    entry.pending.clear();
  };
  worker.on("message", (reply: { id: number; runs?: SeedRuns; error?: string }) => {
    const task = entry.pending.get(reply.id);
    entry.pending.delete(reply.id);
    if (entry.pending.size === 0) worker.unref();
    if (reply.runs) task?.resolve(reply.runs);
    else task?.reject(new Error(reply.error ?? "the Leiden worker answered nothing"));
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the Leiden worker exited with code ${code}`)));
  // Referenced only while it owes replies (onWorker); after the listeners, since adding a "message"
  // listener refs the worker's port again.
  worker.unref();
  pool[slot] = entry;
  return entry;
}

/** One share of the seeds on the pool's worker `slot`. */
function onWorker(slot: number, input: LeidenSeedsInput): Promise<SeedRuns> {
  const entry = poolWorker(slot);
  const id = nextTask++;
  return new Promise<SeedRuns>((resolve, reject) => {
    if (entry.pending.size === 0) entry.worker.ref();
    entry.pending.set(id, { resolve, reject });
    entry.worker.postMessage({ id, input });
  });
}

/** Large graphs' runs kept (least recently used dropped first): a few organisation networks' worth. */
export const LEIDEN_MEMO_ENTRIES = 16;

/**
 * The runs of large graphs already computed (or being computed), by graph content and arguments. The
 * runs are a function of these alone (seeded, deterministic), so an entry answers any later request
 * for the same network, whatever its data version or request; a graph that changes has another key.
 */
const memo = new LRUCache<string, Promise<SeedRuns>>({ max: LEIDEN_MEMO_ENTRIES });
const memoCounts = { hits: 0, misses: 0 };

/** How many off-thread requests the memo answered (hits) and how many it computed (misses), since start. */
export function leidenMemoCounts(): { hits: number; misses: number } {
  return { ...memoCounts };
}

/** The memo key: a SHA-256 of the graph's columns (its order, then source, target, weight) and the arguments. */
function memoKey(graph: ColumnGraph, input: LeidenRunsInput): string {
  const hash = createHash("sha256");
  hash.update(Int32Array.of(graph.order, graph.source.length));
  hash.update(graph.source);
  hash.update(graph.target);
  hash.update(graph.weight);
  return `${hash.digest("base64")} ${input.quality} ${input.resolution} ${input.seed} ${input.stabilityRuns}`;
}

/**
 * leidenRuns on worker threads when the graph has OFF_THREAD_EDGES edges or more, so that the
 * stability runs of an organisation network (seconds of CPU) do not stop every other request; the
 * seeds are shared among up to MAX_LEIDEN_WORKERS long-lived threads (at most one per core), each run
 * being independent of the others. The same function per seed, so the same answer as leidenRuns.
 * The runs of such a graph are computed once and kept (LEIDEN_MEMO_ENTRIES): the same graph with the
 * same arguments again is answered from memory; requests that arrive during a computation share it.
 * Rejects when a worker fails (a failed computation is not kept).
 */
export async function leidenRunsOffThread(input: LeidenRunsInput): Promise<LeidenRuns> {
  const edges = "source" in input.graph ? input.graph.source.length : input.graph.edges.length;
  if (edges < OFF_THREAD_EDGES) return leidenRuns(input);
  const graph = columnsOf(input.graph);
  const key = memoKey(graph, input);
  let runs = memo.get(key);
  if (runs) memoCounts.hits += 1;
  else {
    memoCounts.misses += 1;
    const computing = runsOnWorkers(graph, input);
    runs = computing;
    memo.set(key, computing);
    computing.catch(() => {
      if (memo.get(key) === computing) memo.delete(key);
    });
  }
  return combined(await runs);
}

/** The seeds of `input` shared among the pool's workers; their runs in seed order. */
async function runsOnWorkers(graph: ColumnGraph, input: LeidenRunsInput): Promise<SeedRuns> {
  const seeds = seedsOf(input);
  const threads = Math.max(1, Math.min(availableParallelism(), MAX_LEIDEN_WORKERS, seeds.length));
  const share = Math.ceil(seeds.length / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) =>
      onWorker(t, {
        graph,
        quality: input.quality,
        resolution: input.resolution,
        seeds: seeds.slice(t * share, (t + 1) * share),
      }),
    ),
  );
  return {
    memberships: parts.flatMap((part) => part.memberships),
    qualities: parts.flatMap((part) => part.qualities),
  };
}

/**
 * Normalised mutual information of two memberships of the same nodes, NMI = 2 I(A;B) / (H(A) + H(B))
 * (arithmetic normalisation, as scikit-learn's default); 1 when both are one community. Community ids are
 * whole numbers >= 0 (as leiden gives them).
 */
export function normalisedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return 1;
  const countA = new Map<number, number>();
  const countB = new Map<number, number>();
  // A pair (x, y) as one number, x * span + y, not a string: a million nodes cost no string each.
  let span = 1;
  for (let i = 0; i < n; i++) span = Math.max(span, b[i]! + 1);
  const joint = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
    countB.set(b[i]!, (countB.get(b[i]!) ?? 0) + 1);
    const key = a[i]! * span + b[i]!;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const entropy = (counts: Map<number, number>) =>
    -[...counts.values()].reduce((sum, c) => sum + (c / n) * Math.log(c / n), 0);
  const hA = entropy(countA);
  const hB = entropy(countB);
  if (hA === 0 && hB === 0) return 1;
  let mutual = 0;
  for (const [key, c] of joint) {
    const x = Math.floor(key / span);
    const y = key - x * span;
    mutual += (c / n) * Math.log((c * n) / (countA.get(x)! * countB.get(y)!));
  }
  return (2 * mutual) / (hA + hB);
}
