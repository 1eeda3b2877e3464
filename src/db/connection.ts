import neo4j, { type Driver } from "neo4j-driver";
import type { DatabaseTarget } from "../config/config.js";
import type { Logger } from "../util/logger.js";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "./embedded-neo4j.js";
import { type DatabaseHealth, superviseEmbeddedNeo4j } from "./neo4j-supervisor.js";

export interface DatabaseConnection {
  driver: Driver;
  /** The Neo4j database name that every session uses. */
  database: string;
  uri: string;
  /** The embedded instance when this process started or attached to one (the current one after a restart). */
  readonly embedded: EmbeddedNeo4j | undefined;
  /**
   * The supervisor's view of an embedded Neo4j (see neo4j-supervisor.ts); always `up` without
   * supervision and for NEO4J_URI, where there is no process to watch and readiness asks the server.
   */
  health(): DatabaseHealth;
  /** Ends supervision (no restart from now on) without stopping anything: a normal stop has begun. */
  release(): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /**
   * Restart an embedded Neo4j that dies (neo4j-supervisor.ts): the server's choice. A CLI command
   * leaves it off: it fails on a lost database instead of starting one behind the server's back.
   */
  supervise?: boolean;
}

/**
 * A Neo4j driver with the product's time-outs (connection 5 s, acquisition 10 s, retries 5 s): fails
 * fast so that the server can report unavailability. Integers come back as neo4j Integer objects.
 */
export function createDriver(uri: string, username: string, password: string): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(username, password), {
    userAgent: "permed-atlas",
    // Failing fast matters more than waiting: the server reports unavailability to its clients.
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 5_000,
    maxTransactionRetryTime: 5_000,
    disableLosslessIntegers: false,
  });
}

/**
 * A driver for the configured target: the external Neo4j of NEO4J_URI, or the embedded one (attached
 * to when a running server owns it, else started; see startOrAttachEmbeddedNeo4j), supervised when
 * `options.supervise` says so. `close` ends supervision, closes the driver and stops an embedded Neo4j
 * this process started. Errors: those of the first startOrAttachEmbeddedNeo4j.
 */
export async function connectDatabase(
  target: DatabaseTarget,
  log: Logger,
  options: ConnectOptions = {},
): Promise<DatabaseConnection> {
  const up = (): DatabaseHealth => ({ state: "up" });
  if (target.kind === "external") {
    const driver = createDriver(target.uri, target.username, target.password);
    return {
      driver,
      database: target.database,
      uri: target.uri,
      embedded: undefined,
      health: up,
      release: () => {},
      close: () => driver.close(),
    };
  }
  const first = await startOrAttachEmbeddedNeo4j(target, log);
  const driver = createDriver(first.uri, first.username, first.password);
  if (!options.supervise) {
    return {
      driver,
      database: target.database,
      uri: first.uri,
      embedded: first,
      health: up,
      release: () => {},
      close: async () => {
        await driver.close();
        await first.stop();
      },
    };
  }
  const supervisor = superviseEmbeddedNeo4j(first, () => startOrAttachEmbeddedNeo4j(target, log), log);
  return {
    driver,
    database: target.database,
    uri: first.uri,
    get embedded() {
      return supervisor.current();
    },
    health: supervisor.health,
    release: supervisor.release,
    close: async () => {
      supervisor.release();
      await driver.close();
      await supervisor.stop();
    },
  };
}

export interface ServerInfo {
  version: string;
  edition: string;
}

/** Asks the server itself (not the driver's handshake) so that the answer proves queries run. */
export async function readServerInfo(driver: Driver, database: string): Promise<ServerInfo> {
  const { records } = await driver.executeQuery(
    "CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition",
    {},
    { database, routing: neo4j.routing.READ },
  );
  const record = records[0];
  if (!record) throw new Error("dbms.components() returned no Neo4j Kernel row");
  return { version: record.get("version") as string, edition: record.get("edition") as string };
}
