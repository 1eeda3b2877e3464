import { runWorker, siblingModule } from "../util/run-worker.js";
import { seededRandom } from "../util/seeded-random.js";
import { type IndexedGraph, type LeidenQuality, type LeidenResult, leiden } from "./leiden.js";
import { OFF_THREAD_EDGES } from "./network-metrics.js";

/** One community request's Leiden work: the graph (node indices), the quality, and the seeds to run. */
export interface LeidenRunsInput {
  graph: IndexedGraph;
  quality: LeidenQuality;
  resolution: number;
  seed: number;
  /** Runs in all, with seeds seed, seed+1, ..., seed+stabilityRuns-1. */
  stabilityRuns: number;
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

/** The runs of one request, on the calling thread (the worker's entry calls it). */
export function leidenRuns({ graph, quality, resolution, seed, stabilityRuns }: LeidenRunsInput): LeidenRuns {
  const run = (s: number) => leiden(graph, { quality, resolution, random: seededRandom(s) });
  const main = run(seed);
  const values = [main.quality];
  const agreements: number[] = [];
  let identical = 1;
  for (let k = 1; k < stabilityRuns; k++) {
    const other = run(seed + k);
    values.push(other.quality);
    agreements.push(normalisedMutualInformation(main.membership, other.membership));
    if (other.membership.every((c, i) => c === main.membership[i])) identical += 1;
  }
  return { main: { membership: main.membership, quality: main.quality }, values, agreements, identical };
}

/**
 * leidenRuns on a worker thread when the graph has OFF_THREAD_EDGES edges or more, so that the
 * stability runs of an organisation network (seconds to minutes of CPU) do not stop every other
 * request; the same function, so the same answer.
 */
export function leidenRunsOffThread(input: LeidenRunsInput): Promise<LeidenRuns> {
  return input.graph.edges.length >= OFF_THREAD_EDGES
    ? runWorker<LeidenRuns>(siblingModule(import.meta.url, "leiden-worker"), input)
    : Promise.resolve(leidenRuns(input));
}

/**
 * Normalised mutual information of two memberships of the same nodes, NMI = 2 I(A;B) / (H(A) + H(B))
 * (arithmetic normalisation, as scikit-learn's default); 1 when both are one community.
 */
export function normalisedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return 1;
  const countA = new Map<number, number>();
  const countB = new Map<number, number>();
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
    countB.set(b[i]!, (countB.get(b[i]!) ?? 0) + 1);
    const key = `${a[i]} ${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const entropy = (counts: Map<number, number>) =>
    -[...counts.values()].reduce((sum, c) => sum + (c / n) * Math.log(c / n), 0);
  const hA = entropy(countA);
  const hB = entropy(countB);
  if (hA === 0 && hB === 0) return 1;
  let mutual = 0;
  for (const [key, c] of joint) {
    const [x, y] = key.split(" ").map(Number) as [number, number];
    mutual += (c / n) * Math.log((c * n) / (countA.get(x)! * countB.get(y)!));
  }
  return (2 * mutual) / (hA + hB);
}
