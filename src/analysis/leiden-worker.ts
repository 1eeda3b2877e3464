import { parentPort } from "node:worker_threads";
import { seededRandom } from "../util/seeded-random.js";
import { leidenSeeds } from "./leiden.js";
import type { LeidenSeedsInput } from "./leiden-runs.js";

// Worker entry of leiden-runs.ts's pool: answers each task (a share of a request's Leiden runs) in
// turn, off the main thread, with its id. Only leiden.ts is loaded here (leiden-runs.ts as a type).
parentPort!.on("message", ({ id, input }: { id: number; input: LeidenSeedsInput }) => {
  try {
    const runs = leidenSeeds(input.graph, input, input.seeds, seededRandom);
    parentPort!.postMessage(
      { id, runs },
      runs.memberships.map((membership) => membership.buffer as ArrayBuffer),
    );
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
