import neo4j, { type Driver } from "neo4j-driver";
import { inject } from "vitest";
import type { AtlasConfig } from "../../src/config/config.js";
import { createDriver } from "../../src/db/connection.js";

export const TEST_DATABASE = "neo4j";

export function testDriver(): Driver {
  const { uri, username, password } = inject("neo4j");
  return createDriver(uri, username, password);
}

/** A configuration that points the product at the run's Neo4j as an external server, on a free HTTP port. */
export function testConfig(overrides: Partial<AtlasConfig> = {}): AtlasConfig {
  const { uri, username, password } = inject("neo4j");
  return {
    environment: "test",
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    database: { kind: "external", uri, username, password, database: TEST_DATABASE },
    autoSeed: false,
    ...overrides,
  };
}

export async function clearDatabase(driver: Driver): Promise<void> {
  await driver.executeQuery("MATCH (n) DETACH DELETE n", {}, { database: TEST_DATABASE });
}

export async function count(
  driver: Driver,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<number> {
  const { records } = await driver.executeQuery(cypher, params, {
    database: TEST_DATABASE,
    routing: neo4j.routing.READ,
  });
  return (records[0]!.get(0) as { toNumber(): number }).toNumber();
}
