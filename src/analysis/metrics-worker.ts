import { parentPort, workerData } from "node:worker_threads";
import { computeMetrics, type MetricsInput } from "./network-metrics.js";

// Worker entry (network-metrics.ts, metricsOf): the centralities of one network, off the main thread.
parentPort!.postMessage(computeMetrics(workerData as MetricsInput));
