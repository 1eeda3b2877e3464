export interface Measurement {
  /** Calls measured (warm-up excluded); fewer than asked when `maxSeconds` ran out. */
  requests: number;
  p50Ms: number;
  p95Ms: number;
  rps: number;
}

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
