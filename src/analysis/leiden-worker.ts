import { parentPort, workerData } from "node:worker_threads";
import { type LeidenRunsInput, leidenRuns } from "./leiden-runs.js";

// Worker entry (leiden-runs.ts, leidenRunsOffThread): one request's Leiden runs, off the main thread.
parentPort!.postMessage(leidenRuns(workerData as LeidenRunsInput));
