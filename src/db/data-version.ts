import type { Driver, ManagedTransaction, Session } from "neo4j-driver";
import { correctAnswer, syncDerivedProperties } from "./derived-properties.js";

/**
 * The data version (issue 16): one `:DataVersion {id: "data-version"}` node whose `version` grows by
 * one with every committed change to the graph (seed, import, GraphQL mutation) and whose `updatedAt`
 * is the time of that change. It lives in the graph, not in a process, so that every API process over
 * the same Neo4j sees the same version; it is bumped inside the writing transaction, so a rolled-back
 * write (a failed import, a dry run that writes nothing) leaves it as it was.
 */

/** A transaction that can run Cypher: managed, explicit, or the importer's WriteTransaction. */
type Runner = Pick<ManagedTransaction, "run">;

export const DATA_VERSION_ID = "data-version";

/** Adds one to the version in the given (write) transaction; the change commits with it or not at all. */
export async function bumpDataVersion(tx: Runner): Promise<void> {
  // MERGE then SET in one statement: the SET write-locks the node, so concurrent writers serialise
  // their increments and none is lost. The label has its own uniqueness constraint (schema-setup).
  await tx.run(
    `MERGE (v:DataVersion {id: $id})
     SET v.version = coalesce(v.version, 0) + 1, v.updatedAt = datetime()`,
    { id: DATA_VERSION_ID },
  );
}

export interface DataVersion {
  /** 0 before the first change. */
  version: number;
  /** ISO 8601 time of the last change, null before the first. */
  updatedAt: string | null;
}

/** Reads the data version in the given transaction (or a fresh one through `driver`). */
export async function readDataVersion(tx: Runner): Promise<DataVersion> {
  const result = await tx.run(
    "MATCH (v:DataVersion {id: $id}) RETURN v.version AS version, v.updatedAt AS at",
    {
      id: DATA_VERSION_ID,
    },
  );
  const record = result.records[0];
  if (!record) return { version: 0, updatedAt: null };
  const version = record.get("version") as { toNumber(): number } | number;
  const at = record.get("at") as { toString(): string } | null;
  return {
    version: typeof version === "number" ? version : version.toNumber(),
    updatedAt: at ? new Date(at.toString()).toISOString() : null,
  };
}

type ExecuteWrite = Session["executeWrite"];

/** True when a transaction function's result shows that it wrote (a QueryResult with updates). */
function wrote(result: unknown): boolean {
  const summary = (result as { summary?: { counters?: { containsUpdates(): boolean } } } | null)?.summary;
  // A result that does not say (not a QueryResult) may have written: count it as a change.
  return summary?.counters ? summary.counters.containsUpdates() : true;
}

/**
 * A driver whose sessions' executeWrite bumps the data version in the same transaction when the work
 * changed something. @neo4j/graphql runs every mutation as one `session.executeWrite(tx =>
 * tx.run(cypher))` and returns the QueryResult, whose counters say whether it wrote; so a mutation and
 * its version bump commit together, and a mutation that matched nothing leaves the version alone.
 * Derived properties (derived-properties.ts) are brought in step in the same transaction first.
 */
export function versionedDriver(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      if (property !== "session") return Reflect.get(target, property, receiver);
      return (...args: Parameters<Driver["session"]>): Session => {
        const session = target.session(...args);
        const write = session.executeWrite.bind(session) as ExecuteWrite;
        session.executeWrite = (async (work, config) =>
          write(async (tx) => {
            const result = await work(tx);
            if (wrote(result)) {
              const corrected = await syncDerivedProperties(tx);
              const records = (result as { records?: Parameters<typeof correctAnswer>[0] } | null)?.records;
              if (records) correctAnswer(records, corrected);
              await bumpDataVersion(tx);
            }
            return result;
          }, config)) as ExecuteWrite;
        return session;
      };
    },
  });
}
