import { type Driver, Record as Neo4jRecord } from "neo4j-driver";
import type { AnalysisContext } from "../../src/analysis/analysis-context.js";

/** One query an analysis sent: its Cypher (indentation removed, so a snapshot shows text changes) and parameters. */
export interface RecordedQuery {
  cypher: string;
  params: Record<string, unknown>;
}

/**
 * Rows the recording driver answers a query with; by default none. A responder that throws makes the
 * query fail with that error, as a failing Neo4j query does (`tx.run` rejects).
 */
export type Responder = (cypher: string, params: Record<string, unknown>) => Record<string, unknown>[];

/**
 * The version @neo4j/graphql reads once per process (`CALL dbms.components()`) before its first
 * query, to choose version-specific Cypher: the Neo4j the app embeds.
 */
const COMPONENTS = { version: "5.26.0", edition: "community" };

const trimmed = (cypher: string) =>
  cypher
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n");

/**
 * A QueryResult as neo4j-driver 5 gives it, as far as its readers here use it: real `Record`s
 * (`toObject()` for the analyses and @neo4j/graphql's execute, `get(key)` for the data version, iteration
 * for @neo4j/graphql's `dbms.components()` read) and a summary whose counters say nothing was written.
 */
function resultOf(rows: Record<string, unknown>[]) {
  const records = rows.map((row) => new Neo4jRecord(Object.keys(row), Object.values(row)));
  const updates = {
    nodesCreated: 0,
    nodesDeleted: 0,
    relationshipsCreated: 0,
    relationshipsDeleted: 0,
    propertiesSet: 0,
  };
  return { records, summary: { counters: { updates: () => updates, containsUpdates: () => false } } };
}

interface Observer {
  onNext?: (record: Neo4jRecord) => void;
  onCompleted?: (summary: unknown) => void;
  onError?: (error: unknown) => void;
}

/**
 * A result read either way neo4j-driver's Result is: awaited (a thenable) or streamed with
 * `subscribe({onNext, onCompleted, onError})`, as the analysis projection reads its rows.
 */
function streamed(answer: () => Promise<ReturnType<typeof resultOf>>) {
  const result = answer();
  // Read through subscribe only: the rejection is handed to onError, not left unhandled.
  result.catch(() => {});
  return {
    // biome-ignore lint/suspicious/noThenProperty: neo4j-driver's Result is a thenable; so is its stand-in
    then: result.then.bind(result),
    subscribe(observer: Observer) {
      result.then(
        ({ records, summary }) => {
          for (const record of records) observer.onNext?.(record);
          observer.onCompleted?.(summary);
        },
        (error: unknown) => observer.onError?.(error),
      );
    },
  };
}

/**
 * A Driver that runs nothing: every `tx.run` of a session's `executeRead`/`executeWrite` is recorded
 * (Cypher with indentation removed, and parameters; those run in `executeWrite` in `writes` too) and answered with `respond`'s rows. This is the
 * API that both the analyses (analysis-context.ts `readQuery`) and @neo4j/graphql 7 (its Executor:
 * `driver.session({..., bookmarkManager: driver.executeQueryBookmarkManager})`, then
 * `session.executeRead/executeWrite(tx => tx.run(cypher, params), config)`, then `session.close()`;
 * the server turns those reads into auto-commit `session.run(cypher, params, config)`, recorded as reads)
 * use, with the result awaited or streamed (`subscribe`, analysis-projection.ts); `driver.executeQuery` and explicit transactions are not provided, so code that reaches for them
 * fails loudly. `CALL dbms.components()` is answered with Neo4j 5.26 community and not recorded.
 */
export function recordingDriver(respond: Responder = () => []): {
  driver: Driver;
  queries: RecordedQuery[];
  writes: RecordedQuery[];
} {
  const queries: RecordedQuery[] = [];
  const writes: RecordedQuery[] = [];
  const runner = (mode: "READ" | "WRITE") => ({
    run: (cypher: string, params: Record<string, unknown> = {}) => {
      if (cypher.includes("CALL dbms.components()")) return streamed(async () => resultOf([COMPONENTS]));
      const query = { cypher: trimmed(cypher), params };
      queries.push(query);
      if (mode === "WRITE") writes.push(query);
      return streamed(async () => resultOf(respond(cypher, params)));
    },
  });
  type Work = (tx: ReturnType<typeof runner>) => Promise<unknown>;
  const driver = {
    executeQueryBookmarkManager: undefined,
    session: () => ({
      executeRead: async (work: Work) => work(runner("READ")),
      executeWrite: async (work: Work) => work(runner("WRITE")),
      // An auto-commit query: the server runs @neo4j/graphql's reads and the data-version read so
      // (http-server.ts autoCommitReads), and only reads.
      run: (cypher: string, params?: Record<string, unknown>) => runner("READ").run(cypher, params),
      close: async () => {},
    }),
    close: async () => {},
  } as unknown as Driver;
  return { driver, queries, writes };
}

/**
 * An AnalysisContext over `recordingDriver`: it records each query and answers with `respond`'s
 * rows. For translation snapshots only (as neo4j/graphql's tck tests): what an analysis SENDS, never
 * what it computes; answers are tested against a real Neo4j in the integration project.
 */
export function recordingContext(respond: Responder = () => []): {
  context: AnalysisContext;
  queries: RecordedQuery[];
} {
  const { driver, queries } = recordingDriver(respond);
  return { context: { driver, database: "neo4j" }, queries };
}

/** Answers existence checks (`WHERE n.id IN $ids RETURN n.id AS id`) as if every id existed. */
export const everyIdExists: Responder = (cypher, params) =>
  /RETURN n\.id AS id$/.test(cypher.trim()) && Array.isArray(params.ids)
    ? (params.ids as string[]).map((id) => ({ id }))
    : [];
