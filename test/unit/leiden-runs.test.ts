import { describe, expect, it } from "vitest";
import { leidenMemoCounts, leidenRuns, leidenRunsOffThread } from "../../src/analysis/leiden-runs.js";
import { OFF_THREAD_EDGES } from "../../src/analysis/network-metrics.js";

/** A random graph over `order` nodes with `size` distinct edges of weight 1-4 (a fixed seed). */
function randomGraph(order: number, size: number) {
  let state = 20261206;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const seen = new Set<string>();
  const edges: { source: number; target: number; weight: number }[] = [];
  while (edges.length < size) {
    const a = Math.floor(next() * order);
    const b = Math.floor(next() * order);
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    edges.push({ source: a, target: b, weight: 1 + Math.floor(next() * 4) });
  }
  return { order, edges };
}

describe("Leiden runs of a large network, on a worker thread", () => {
  it("give the same answer as on the calling thread, and the event loop keeps running meanwhile", async () => {
    const input = {
      graph: randomGraph(800, 2_100),
      quality: "MODULARITY" as const,
      resolution: 1,
      seed: 7,
      stabilityRuns: 3,
    };
    expect(input.graph.edges.length).toBeGreaterThanOrEqual(OFF_THREAD_EDGES);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const offThread = await leidenRunsOffThread(input);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
    const inline = leidenRuns(input);
    expect(Array.from(offThread.main.membership)).toEqual(Array.from(inline.main.membership));
    expect(offThread.main.quality).toBe(inline.main.quality);
    expect(offThread.values).toEqual(inline.values);
    expect(offThread.agreements).toEqual(inline.agreements);
    expect(offThread.identical).toBe(inline.identical);
  });

  it("are computed once per graph and arguments: the same network again is answered from the memo", async () => {
    const input = {
      graph: randomGraph(900, 2_400),
      quality: "MODULARITY" as const,
      resolution: 1,
      seed: 11,
      stabilityRuns: 2,
    };
    const before = leidenMemoCounts();
    const first = await leidenRunsOffThread(input);
    // The same edges as another object (as the next request's network would be).
    const again = await leidenRunsOffThread({
      ...input,
      graph: { ...input.graph, edges: [...input.graph.edges] },
    });
    const otherSeed = await leidenRunsOffThread({ ...input, seed: 12 });
    const after = leidenMemoCounts();
    expect(after.misses - before.misses).toBe(2);
    expect(after.hits - before.hits).toBe(1);
    const inline = leidenRuns(input);
    for (const answer of [first, again]) {
      expect(Array.from(answer.main.membership)).toEqual(Array.from(inline.main.membership));
      expect(answer.values).toEqual(inline.values);
    }
    expect(Array.from(otherSeed.main.membership)).toEqual(
      Array.from(leidenRuns({ ...input, seed: 12 }).main.membership),
    );
  });
});
