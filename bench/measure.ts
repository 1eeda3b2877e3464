export interface Measurement {
  /** Calls measured (warm-up excluded); fewer than asked when `maxSeconds` ran out. */
  requests: number;
  p50Ms: number;
  p95Ms: number;
  rps: number;
}

/**
 * The warm-up before a steady-state measurement: up to 4,000 calls or 25 s, whichever comes first.
 * A freshly started server (and Neo4j) keeps getting faster over its first few thousand requests as V8
 * and the JVM optimise the request path. The generated lookup on the Horizon Europe store, a fresh
 * server and Neo4j, one client in its own process, p50 of each 200 calls (2026-12-07): 12.4 ms for
 * calls 1-200, 6.9 at 801-1,000, 3.5 at 1,801-2,000, 2.4-3.4 from 3,000 on (about 20 s). A warm-up of
 * 1,000 calls or 5 s measured that curve's middle, not the server a dashboard has used for a day.
 */
export const STEADY_WARMUP = { warmup: 4000, warmupSeconds: 25 } as const;

/**
 * A closed-loop load: `concurrency` clients issue `requests` calls in all, after a short warm-up.
 * The same loop drives GraphQL (HTTP) and raw Cypher (driver), so their numbers compare.
 */
export async function measure(
  call: (i: number) => Promise<unknown>,
  options: {
    requests: number;
    concurrency: number;
    /** Calls before the measured ones (default 10). */
    warmup?: number;
    /** The warm-up's time limit, in seconds (default: a quarter of maxSeconds). */
    warmupSeconds?: number;
    maxSeconds?: number;
  },
): Promise<Measurement> {
  // The warm-up stops after a quarter of the time allowed: ten calls of a 20-second analysis (the
  // Cypher path at L) would otherwise take minutes before the first measured call.
  const warmupDeadline = performance.now() + (options.warmupSeconds ?? (options.maxSeconds ?? 60) / 4) * 1000;
  for (let i = 0; i < (options.warmup ?? 10) && performance.now() < warmupDeadline; i++) await call(1000 + i);
  const latencies: number[] = [];
  let issued = 0;
  const deadline = performance.now() + (options.maxSeconds ?? 60) * 1000;
  const started = performance.now();
  const client = async () => {
    while (issued < options.requests && performance.now() < deadline) {
      const index = issued++;
      const t = performance.now();
      await call(index);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, p50Ms: at(0.5), p95Ms: at(0.95), rps: latencies.length / seconds };
}
