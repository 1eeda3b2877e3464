import { isDeepStrictEqual } from "node:util";
import type { AnalysisProjection } from "../src/analysis/analysis-projection.js";
import { filteredProjects } from "../src/analysis/projection-analyses.js";
import { projectionNetwork } from "../src/analysis/projection-network.js";
import { legacyCut, legacyProjectionNetwork } from "./legacy-projection-network.js";
import { variedYears } from "./operations.js";

const percentile = (times: number[], q: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const summary = (times: number[]) => ({
  requests: times.length,
  p50Ms: percentile(times, 0.5),
  p95Ms: percentile(times, 0.95),
});

/**
 * Issue 19a: the organisation and country networks (limit 500, minWeight 1, year ranges varied as
 * bench/run.ts varies them) computed on one projection by the code before the change
 * (legacy-projection-network.ts) and by the current code, the same requests alternating between the
 * two, each pair of answers compared. Returns per level the p50/p95 ms of each, the first call of the
 * new code (it builds the level's membership, once per projection), how many answers differed, the
 * largest totalEdges, and the ms to make the whole network's objects (what metrics and exports read).
 */
export function projectionNetworkSideBySide(projection: AnalysisProjection, requests: number) {
  const limit = 500;
  const result: Record<string, unknown> = {};
  for (const level of ["ORGANISATION", "COUNTRY"] as const) {
    const kind = level === "COUNTRY" ? "Country" : "Organisation";
    const old = (i: number) => {
      const mask = filteredProjects(projection, variedYears(i));
      return legacyCut(legacyProjectionNetwork(projection, level, mask, 1), kind, limit);
    };
    const now = (i: number) => {
      const mask = filteredProjects(projection, variedYears(i));
      const network = projectionNetwork(projection, level, mask, 1);
      const { nodes, edges } = network.cut(limit);
      return {
        nodes,
        edges,
        totalEdges: network.totalEdges,
        sourceCount: network.sourceCountOf(new Set(nodes.map((node) => node.key))),
      };
    };
    const firstStarted = performance.now();
    now(0);
    const firstNewMs = performance.now() - firstStarted;
    for (let i = 0; i < 2; i++) {
      old(1000 + i);
      now(1000 + i);
    }
    const oldTimes: number[] = [];
    const newTimes: number[] = [];
    let different = 0;
    let edgesSeen = 0;
    for (let i = 0; i < requests; i++) {
      // Alternate which runs first, so that neither always finds the other's garbage.
      const oldFirst = i % 2 === 0;
      let t = performance.now();
      const a = oldFirst ? old(i) : now(i);
      const ta = performance.now() - t;
      t = performance.now();
      const b = oldFirst ? now(i) : old(i);
      const tb = performance.now() - t;
      oldTimes.push(oldFirst ? ta : tb);
      newTimes.push(oldFirst ? tb : ta);
      if (!isDeepStrictEqual(a, b)) different++;
      edgesSeen = Math.max(edgesSeen, a.totalEdges);
    }
    const wholeStarted = performance.now();
    const whole = projectionNetwork(projection, level, filteredProjects(projection, {}), 1);
    whole.edges();
    whole.nodes();
    const wholeMs = performance.now() - wholeStarted;
    result[level] = {
      before: summary(oldTimes),
      after: summary(newTimes),
      firstAfterMsIncludingMembershipBuild: firstNewMs,
      answersThatDiffer: different,
      largestTotalEdges: edgesSeen,
      wholeNetworkObjectsMs: wholeMs,
    };
    process.stderr.write(
      `${level}: before p50 ${percentile(oldTimes, 0.5).toFixed(1)} ms, after p50 ${percentile(newTimes, 0.5).toFixed(1)} ms, ${different} of ${requests} answers differ, up to ${edgesSeen} edges\n`,
    );
  }
  return result;
}
