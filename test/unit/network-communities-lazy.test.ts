import { describe, expect, it } from "vitest";
import type { WholeNetwork } from "../../src/analysis/collaboration-network.js";
import { networkCommunities } from "../../src/analysis/network-communities.js";

/**
 * A network from the analysis projection gives its edges as typed-array columns; its edge objects
 * are made only when something reads `nodes` or `edges` (hundreds of thousands of objects for the
 * organisation network of a whole programme: most of a request's time when made for nothing). The
 * communities must come from the columns alone when the network counts its sources by node.
 */
describe("networkCommunities on a network from the projection", () => {
  it("reads the columns and counts sources by node, never making the edge objects", async () => {
    const keys = ["org:a", "org:b", "org:c", "org:d"];
    const graph = {
      order: 4,
      source: Int32Array.from([0, 1, 2]),
      target: Int32Array.from([1, 2, 3]),
      weight: Float64Array.from([3, 1, 3]),
    };
    const asked: string[][] = [];
    const whole = {
      get nodes(): never {
        throw new Error("the node objects were made");
      },
      get edges(): never {
        throw new Error("the edge objects were made");
      },
      description: "a path of four organisations",
      coverageRequest: { params: {}, memberships: null, thresholds: [] },
      columns: () => ({ keys, graph }),
      sourceCount: (nodeKeys: ReadonlySet<string>) => {
        asked.push([...nodeKeys].sort());
        return 7;
      },
    } as unknown as WholeNetwork;
    const answer = await networkCommunities(whole, { seed: 1, stabilityRuns: 2 });
    expect(answer.sourceCount).toBe(7);
    expect(asked).toEqual([keys]);
    // By hand: the heavy edges a-b and c-d (3 each) against the light b-c (1) make two communities.
    expect(answer.communities.map((community) => community.size)).toEqual([2, 2]);
  });
});
