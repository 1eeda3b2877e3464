import { trackLocalWrites } from "../db/data-version.js";
import type { AnalysisContext } from "./analysis-context.js";

/** Reads the data-version token `version@updatedAt` (answer-cache.ts graphDataVersion). */
export type DataVersionReader = (context: AnalysisContext) => Promise<string>;

/** The version number of a `version@updatedAt` token. */
const versionNumber = (token: string): number => Number(token.slice(0, token.indexOf("@")));

/**
 * A data-version reader that reads the graph at most once every `maxAgeMs` milliseconds (issue 19:
 * a cached answer then costs no database round trip) and otherwise answers the token it read last.
 *
 * Bounded delay: a write committed by another process (a CLI import, another API process) is seen by
 * every request whose version check starts `maxAgeMs` or more after the commit. A write made by THIS
 * process (GraphQL mutation, seed, import or classify run in it) is seen by the very next request: its
 * version bump is noted (data-version.ts noteLocalWrite) and, until a read returns that version or a
 * later one, every request reads the graph. A write of this process that rolled back stays noted
 * until a later write reaches its number, so meanwhile every request reads (fresh, one round trip
 * more). `maxAgeMs` 0: every request reads the graph (no delay at all). `now` is the clock in ms.
 */
export function recentDataVersion(
  read: DataVersionReader,
  maxAgeMs: number,
  now: () => number = () => performance.now(),
): DataVersionReader {
  let last: { token: string; readStartedAt: number } | undefined;
  const localWrites = trackLocalWrites();
  return async (context) => {
    const started = now();
    if (last && started - last.readStartedAt < maxAgeMs && !localWrites.pending) return last.token;
    const token = await read(context);
    localWrites.see(versionNumber(token));
    // Aged by when its read started (the token is at least that fresh); a slower, older read that
    // finishes later does not replace a newer one.
    if (!last || started >= last.readStartedAt) last = { token, readStartedAt: started };
    return token;
  };
}
