import { LRUCache } from "lru-cache";
import { readDataVersion } from "../db/data-version.js";
import { readTransaction } from "../db/read-query.js";
import type { AnalysisContext } from "./analysis-context.js";
import { dataChanged } from "./analysis-error.js";
import { type NetworkDefinition, type WholeNetwork, wholeNetwork } from "./collaboration-network.js";

/**
 * Reads the graph's data version (issue 16: one integer that grows with every committed change) in
 * the request's own context, so that its time and timeout are the request's, as a token: the version
 * and the time of its last change. The number alone repeats when a store is wiped or restored (it
 * starts again at 0), and an answer of the old store would then be served for the new one.
 */
export type VersionReader = (context: AnalysisContext) => Promise<string>;

export interface AnswerCacheOptions {
  /** Answers kept at most (least recently used dropped first); 0 turns the cache off. */
  maxEntries: number;
  /** The request's version: read once per request, so that every answer of a request shares it. */
  readVersion: VersionReader;
  /**
   * The version now (not the request's memo), read again after a computation: when it differs, a write
   * committed between the answer's reads and the answer is refused (dataChanged). Absent: not checked.
   */
  readCurrentVersion?: VersionReader;
}

/** JSON with object keys sorted: `{a, b}` and `{b, a}` are one key; array order is kept (it can matter). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}

/**
 * Analysis answers kept in memory and keyed by the data version they were computed at (issue 19).
 *
 * Every call reads the current version first (one lookup of one node by a unique key, about a
 * millisecond): an answer is served only for the version it was computed at, so it is never stale,
 * whichever process or import changed the graph. Identical requests that arrive while the first is
 * still computing share its computation. A failed computation is not kept.
 *
 * The version is read before the computation and again after it (readCurrentVersion): an answer
 * during which a write committed could mix the two versions, so it is neither kept nor served
 * (SERVICE_UNAVAILABLE, reason DATA_CHANGED; a retry computes at the new version). An answer and the
 * `dataVersion` of one request are thus of one version (versionOf).
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, Promise<unknown>> | undefined;
  private version: string | undefined;
  private readonly readVersion: VersionReader;
  private readonly readCurrentVersion: VersionReader | undefined;

  constructor(options: AnswerCacheOptions) {
    this.readVersion = options.readVersion;
    this.readCurrentVersion = options.readCurrentVersion;
    this.answers = options.maxEntries > 0 ? new LRUCache({ max: options.maxEntries }) : undefined;
  }

  /**
   * The answer of `analysis` with `args` at the current data version: from memory when the same
   * analysis with equal arguments (key order aside) was computed at this version, else `compute()`.
   * Throws what `compute` or the version read throws.
   */
  async answer<T>(
    context: AnalysisContext,
    analysis: string,
    args: unknown,
    compute: () => Promise<T>,
  ): Promise<T> {
    const version = await this.readVersion(context);
    if (!this.answers) return this.unchangedDuring(context, version, compute);
    if (version !== this.version) {
      // Answers of another version are never served again (a request that raced a write and read the
      // older one only costs the others a recomputation).
      this.answers.clear();
      this.version = version;
    }
    const key = `${version}\u0000${analysis}\u0000${canonical(args)}`;
    const known = this.answers.get(key) as Promise<T> | undefined;
    if (known) return known;
    const computing = this.unchangedDuring(context, version, compute);
    this.answers.set(key, computing);
    computing.catch(() => {
      if (this.answers?.get(key) === computing) this.answers.delete(key);
    });
    return computing;
  }

  /** The request's data version token (`<version>@<updatedAt>`), the one its answers were computed at. */
  versionOf(context: AnalysisContext): Promise<string> {
    return this.readVersion(context);
  }

  /** `compute()`, refused when the version after it is not `version` (see the class comment). */
  private async unchangedDuring<T>(
    context: AnalysisContext,
    version: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    const value = await compute();
    if (this.readCurrentVersion) {
      const after = await this.readCurrentVersion(context);
      if (after !== version) throw dataChanged(version, after);
    }
    return value;
  }
}

/**
 * The data version as the request's context reads it (src/db/data-version.ts), through its driver and
 * with its transaction settings, so that the read counts in `dbMs` and times out with the request.
 */
export async function graphDataVersion(context: AnalysisContext): Promise<string> {
  // readTransaction's bookmarks: a process that just wrote reads its own version, also from followers.
  const { version, updatedAt } = await readTransaction(context, (tx) => readDataVersion(tx));
  return `${version}@${updatedAt ?? "never"}`;
}

/**
 * A network's definition: every argument of the network query except the display choices (`limit`,
 * the export's `format`). Taken by omission, not by listing the filters, so that an argument added to
 * the schema is part of the definition (and of every cache key) without another edit: a listed key
 * set once served one funder's network for another's (issue 21's funderIds).
 */
export function networkDefinitionOf(args: NetworkDefinition & { limit?: unknown; format?: unknown }) {
  const { limit: _limit, format: _format, ...definition } = args;
  return definition;
}

/**
 * The whole collaboration network of a definition (its `limit`, a display choice, left out) from the
 * answer cache: one entry serves the GraphQL network, metrics and export queries and the /export route.
 */
export function cachedWholeNetwork(
  answers: AnswerCache,
  context: AnalysisContext,
  args: NetworkDefinition,
): Promise<WholeNetwork> {
  const definition = networkDefinitionOf(args);
  return answers.answer(context, "wholeNetwork", definition, () => wholeNetwork(context, args));
}
