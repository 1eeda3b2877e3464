import { readFileSync } from "node:fs";

/** CPU seconds (user + system) a process has used so far, from Linux /proc; null elsewhere or once gone. */
function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the command's closing parenthesis (the last one: a command may hold ") "): utime
    // and stime are the 12th and 13th, in ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Waits until process `pid` (the benchmark's Neo4j) is quiet: under `busyShare` of one core (default
 * 0.1) in each of `quietSeconds` consecutive seconds (default 3), or `maxSeconds` (default 180) have
 * passed. Neo4j flushes an import's pages and collects its garbage in the background after the commit;
 * a measurement that starts then measures that work too. Returns the seconds waited and whether it
 * settled; on a system without /proc it returns at once, unsettled.
 */
export async function settle(
  pid: number,
  options: { busyShare?: number; quietSeconds?: number; maxSeconds?: number } = {},
): Promise<{ seconds: number; settled: boolean }> {
  const { busyShare = 0.1, quietSeconds = 3, maxSeconds = 180 } = options;
  const started = performance.now();
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (last !== null && (performance.now() - started) / 1000 < maxSeconds) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuSeconds(pid);
    if (now === null) break;
    quiet = now - last < busyShare ? quiet + 1 : 0;
    last = now;
    if (quiet >= quietSeconds) return { seconds: (performance.now() - started) / 1000, settled: true };
  }
  return { seconds: (performance.now() - started) / 1000, settled: false };
}
