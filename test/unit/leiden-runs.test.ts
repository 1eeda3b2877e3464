import { describe, expect, it } from "vitest";
import { leidenRuns, leidenRunsOffThread } from "../../src/analysis/leiden-runs.js";
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
});
