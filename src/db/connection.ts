import neo4j, { type Driver } from "neo4j-driver";
import type { DatabaseTarget } from "../config/config.js";
import type { Logger } from "../util/logger.js";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "./embedded-neo4j.js";

export interface DatabaseConnection {
  driver: Driver;
  /** The Neo4j database name that every session uses. */
  database: string;
  uri: string;
  /** The embedded instance when this process started or attached to one. */
  embedded: EmbeddedNeo4j | undefined;
  close(): Promise<void>;
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
 * to when a running server owns it, else started; see startOrAttachEmbeddedNeo4j). `close` closes the
 * driver and stops an embedded Neo4j this process started. Errors: those of startOrAttachEmbeddedNeo4j.
 */
export async function connectDatabase(target: DatabaseTarget, log: Logger): Promise<DatabaseConnection> {
  if (target.kind === "external") {
    const driver = createDriver(target.uri, target.username, target.password);
    return {
      driver,
      database: target.database,
      uri: target.uri,
      embedded: undefined,
      close: () => driver.close(),
    };
  }
  const embedded = await startOrAttachEmbeddedNeo4j(target, log);
  const driver = createDriver(embedded.uri, embedded.username, embedded.password);
  return {
    driver,
    database: target.database,
    uri: embedded.uri,
    embedded,
    close: async () => {
      await driver.close();
      await embedded.stop();
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
