import { readFileSync, statSync } from "node:fs";

/**
 * What can be seen of a stopping process from outside: its CPU time (Linux /proc, in clock ticks) and
 * the size of its log in bytes. Either growing means it is still working (a checkpoint flushes the
 * page cache to disk; on a slow disk that takes minutes), not hung.
 */
export interface ProgressSign {
  cpuTicks: number | undefined;
  logBytes: number | undefined;
}

/** utime + stime of `pid` from /proc/<pid>/stat; undefined where /proc is missing (macOS) or the pid ended. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function fileBytes(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** The current sign of `pid` and of its log `logFile`. Never throws. */
export function progressSign(pid: number, logFile: string): ProgressSign {
  return { cpuTicks: cpuTicks(pid), logBytes: fileBytes(logFile) };
}

/** true when `now` shows work since `before`: more CPU time or a longer log. */
export function madeProgress(before: ProgressSign, now: ProgressSign): boolean {
  const grew = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && b > a;
  return grew(before.cpuTicks, now.cpuTicks) || grew(before.logBytes, now.logBytes);
}

/** How long a stop is waited for: slices, the stillness that counts as hung, and an absolute bound. */
export interface StopPatience {
  /** Checks for progress every sliceMs. */
  sliceMs: number;
  /** No CPU time and no log line for this long: hung, so killed. */
  stillMs: number;
  /** Killed after this long whatever happens (a process that spins without end). */
  maxMs: number;
}

/**
 * A checkpoint of a large store on a busy 2-core machine takes minutes; a Neo4j that does nothing for
 * 30 s is hung. Ten minutes bounds a stop that spins.
 */
export const DEFAULT_STOP_PATIENCE: StopPatience = { sliceMs: 5_000, stillMs: 30_000, maxMs: 600_000 };

/**
 * Waits for `exited` while the process shows progress. Resolves "exited" when it ended, "hung" when it
 * showed no progress for `stillMs`, "too-long" after `maxMs`. `onWaiting(elapsedMs)` is called at each
 * slice it keeps waiting, so that the caller can say why the stop takes time.
 */
export async function waitWhileProgressing(
  exited: () => boolean,
  whenExited: Promise<unknown>,
  sign: () => ProgressSign,
  patience: StopPatience,
  onWaiting: (elapsedMs: number) => void,
): Promise<"exited" | "hung" | "too-long"> {
  const started = Date.now();
  let last = sign();
  let lastProgressAt = started;
  while (!exited()) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      whenExited,
      new Promise((resolve) => {
        timer = setTimeout(resolve, patience.sliceMs);
      }),
    ]);
    clearTimeout(timer);
    if (exited()) break;
    const now = sign();
    if (madeProgress(last, now)) lastProgressAt = Date.now();
    last = now;
    const elapsed = Date.now() - started;
    if (elapsed >= patience.maxMs) return "too-long";
    if (Date.now() - lastProgressAt >= patience.stillMs) return "hung";
    onWaiting(elapsed);
  }
  return "exited";
}
