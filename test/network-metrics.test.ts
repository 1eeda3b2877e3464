import { describe, expect, it } from "vitest";
import type { WholeNetwork } from "../src/analysis/collaboration-network.js";
import { computeMetrics, metricsOf, OFF_THREAD_EDGES } from "../src/analysis/network-metrics.js";

/** A whole network from weighted pairs; node weights do not matter to the metrics. */
function network(pairs: [string, string, number][]): Pick<WholeNetwork, "nodes" | "edges"> {
  const keys = [...new Set([...pairs.map(([a]) => a), ...pairs.map(([, b]) => b)])];
  return {
    nodes: keys.map((key) => ({ key, label: key, kind: "Organisation", weight: 1, records: [] })),
    edges: pairs.map(([source, target, weight]) => ({
      source,
      target,
      weight,
      projects: weight,
      amountEur: 0,
    })),
  };
}

const betweenness = (pairs: [string, string, number][]) =>
  Object.fromEntries(computeMetrics(network(pairs)).map((m) => [m.key, m.betweenness]));

describe("issue 13.2: betweenness is unweighted, as documented", () => {
  it("a triangle with one strong tie gives every node 0 (weighted, C would get 1)", () => {
    // A-B share 5 projects, A-C and C-B one each. Unweighted, A-B is one hop: no shortest path passes
    // through C. Read as a distance, A-B would be 5 hops long and A-C-B (2) the shortest path.
    expect(
      betweenness([
        ["A", "B", 5],
        ["A", "C", 1],
        ["C", "B", 1],
      ]),
    ).toEqual({ A: 0, B: 0, C: 0 });
  });

  it("a square with one strong tie: every node 1/6 (weighted, C and D would get 1/3 and A, B 0)", () => {
    // Square A-B, B-D, D-C, C-A. Opposite pairs (A,D) and (B,C) each have two shortest paths of 2 hops,
    // one through each of the other nodes: every node gets 1/2 of one pair. Normalised for an undirected
    // graph of n = 4 nodes: divided by (n-1)(n-2)/2 = 3, so 1/6.
    // Weighted (A-B = 5 read as a distance): B-C only via D, A-D only via C: C = D = 1/3, A = B = 0.
    const result = betweenness([
      ["A", "B", 5],
      ["B", "D", 1],
      ["D", "C", 1],
      ["C", "A", 1],
    ]);
    for (const key of ["A", "B", "C", "D"]) expect(result[key]).toBeCloseTo(1 / 6, 12);
  });

  it("a path A-B-C: B lies on the only shortest path between A and C", () => {
    // One pair (A,C) of the 3 pairs of n = 3 passes through B: raw 1, normalised 1 / ((n-1)(n-2)/2) = 1.
    expect(
      betweenness([
        ["A", "B", 3],
        ["B", "C", 1],
      ]),
    ).toEqual({ A: 0, B: 1, C: 0 });
  });

  it("weighted degree sums the weights, degree counts neighbours", () => {
    const metrics = computeMetrics(
      network([
        ["A", "B", 5],
        ["A", "C", 1],
        ["C", "B", 1],
      ]),
    );
    expect(metrics.map((m) => [m.key, m.degree, m.weightedDegree])).toEqual([
      ["A", 2, 6],
      ["B", 2, 6],
      ["C", 2, 2],
    ]);
  });
});

describe("centralities of a large network, on a worker thread", () => {
  // A random network over 800 nodes with 2,100 edges (a fixed seed), beyond OFF_THREAD_EDGES.
  const large = () => {
    let state = 20261206;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const seen = new Set<string>();
    const pairs: [string, string, number][] = [];
    while (pairs.length < 2_100) {
      const a = `n${Math.floor(next() * 800)}`;
      const b = `n${Math.floor(next() * 800)}`;
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      pairs.push([a, b, 1 + Math.floor(next() * 4)]);
    }
    return network(pairs);
  };

  it("gives the same answer as on the calling thread, and the event loop keeps running meanwhile", async () => {
    const input = large();
    expect(input.edges.length).toBeGreaterThanOrEqual(OFF_THREAD_EDGES);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const offThread = await metricsOf(input);
    clearInterval(ticker);
    // Computed inline, betweenness over 2,100 edges holds the thread for its whole duration: no tick.
    expect(ticks).toBeGreaterThan(0);
    expect(offThread).toEqual(computeMetrics(input));
    // Kept with the network: asked again, the same answer without a second computation.
    expect(await metricsOf(input)).toBe(offThread);
  });
});
