import type { Driver } from "neo4j-driver";
import { type ReadTarget, readTransaction } from "../db/read-query.js";
import { withinDeadline } from "../util/query-deadline.js";
import { type AnalysisProjection, loadProjection } from "./analysis-projection.js";

/** Reads the data-version token (answer-cache.ts graphDataVersion) in a request's context. */
export type ProjectionVersionReader = (context: ReadTarget) => Promise<string>;

export interface ProjectionStoreOptions {
  /** The server's own driver: a build is shared by requests, so it runs outside any one request's timing. */
  driver: Driver;
  database: string;
  readVersion: ProjectionVersionReader;
  /** Milliseconds a build may take (Neo4j's transaction timeout); L takes tens of seconds. */
  buildTimeoutMs?: number;
  /** Called when a build finishes (ms taken, projects), for the log. */
  onBuilt?: (info: { version: string; ms: number; projects: number; participations: number }) => void;
}

/**
 * The analysis projection of the current data version (issue 19), one per process.
 *
 * `current(context)` reads the data version in the request's context (or takes the one the request
 * already read) and returns the projection built at exactly that version: a change committed by any
 * process is seen by the next request, with no delay. Requests that arrive during a build share it. A
 * build reads the version before and after reading the graph; when they differ (a write committed in
 * between, so the rows may mix two versions: Neo4j reads are read-committed) the build answers null
 * for that version, never a mixed picture, and analysisProjection reads one for the request alone;
 * requests that read the newer version build again.
 */
export class ProjectionStore {
  private built: { version: string; projection: Promise<AnalysisProjection | null> } | undefined;

  constructor(private readonly options: ProjectionStoreOptions) {}

  /**
   * The projection at the context's data version, or null (see the class). Throws what a build throws,
   * and QueryDeadlineExceeded (QUERY_TIMEOUT) when the build outlasts the request's transaction timeout
   * (the build goes on for the next request).
   */
  async current(context: ReadTarget): Promise<AnalysisProjection | null> {
    const version = await this.options.readVersion(context);
    if (this.built?.version !== version) {
      const projection = this.build(context, version);
      this.built = { version, projection };
      // A failed build is not kept: the next request tries again.
      projection.catch(() => {
        if (this.built?.projection === projection) this.built = undefined;
      });
    }
    // The build is shared and goes on, but this request waits no longer than its own time limit.
    return withinDeadline(this.built.projection, context.transaction?.timeout);
  }

  private async build(context: ReadTarget, version: string): Promise<AnalysisProjection | null> {
    const started = performance.now();
    const projection = await readTransaction(
      { driver: this.options.driver, database: this.options.database },
      (tx) => loadProjection(tx),
      {
        timeout: this.options.buildTimeoutMs ?? 600_000,
        metadata: { app: "permed-atlas", job: "analysis-projection", version },
      },
    );
    // A fresh object: the version reader may keep one answer per request context.
    const after = await this.options.readVersion({ ...context });
    if (after !== version) return null;
    this.options.onBuilt?.({
      version,
      ms: performance.now() - started,
      projects: projection.projects.ids.length,
      participations: projection.projects.participations.organisation.length,
    });
    return projection;
  }
}

/**
 * The analysis projection a request's analyses run on: the store's (context.projections) at the
 * request's data version, else one built for this call alone in one read transaction with the
 * request's settings (a direct call without a server: tests, benchmarks, scripts; or a store whose
 * build saw a write commit meanwhile). Never null: the projection is the one engine of fundingMatrix,
 * collaborationNetwork, networkMetrics and the network exports. Throws what a build throws (e.g. the
 * request's transaction timeout, QUERY_TIMEOUT).
 */
export async function analysisProjection(
  context: ReadTarget & { projections?: ProjectionStore | undefined },
): Promise<AnalysisProjection> {
  const shared = context.projections ? await context.projections.current(context) : null;
  // Otherwise a projection read for this call alone, with the request's settings (not kept).
  return shared ?? readTransaction(context, (tx) => loadProjection(tx));
}
