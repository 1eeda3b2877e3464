import { describe, expect, it } from "vitest";
import type { WholeNetwork } from "../src/analysis/collaboration-network.js";
import { metricsOf } from "../src/analysis/network-metrics.js";

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
  Object.fromEntries(metricsOf(network(pairs)).map((m) => [m.key, m.betweenness]));

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
    const metrics = metricsOf(
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
