import neo4j, { type Driver } from "neo4j-driver";
import { inject } from "vitest";
import { type AtlasConfig, loadConfig } from "../../src/config/config.js";
import { createDriver } from "../../src/db/connection.js";
import { bumpDataVersion } from "../../src/db/data-version.js";

export const TEST_DATABASE = "neo4j";
export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

export function testDriver(): Driver {
  const { uri, username, password } = inject("neo4j");
  return createDriver(uri, username, password);
}

/** A configuration that points the product at the run's Neo4j as an external server, on a free HTTP port. */
export function testConfig(overrides: Partial<AtlasConfig> = {}): AtlasConfig {
  const { uri, username, password } = inject("neo4j");
  const base = loadConfig({
    NODE_ENV: "test",
    NEO4J_URI: uri,
    NEO4J_USERNAME: username,
    NEO4J_PASSWORD: password,
    ATLAS_JWT_SECRET: TEST_JWT_SECRET,
    ATLAS_AUTO_SEED: "false",
    LOG_LEVEL: "silent",
  });
  return { ...base, port: 0, ...overrides };
}

/**
 * Empties the test database, then records the wipe as a change of the data (a new data version and
 * time): a server's answer cache (issue 19) must not answer for the new data from before the wipe.
 */
export async function clearDatabase(driver: Driver): Promise<void> {
  await driver.executeQuery("MATCH (n) DETACH DELETE n", {}, { database: TEST_DATABASE });
  const session = driver.session({ database: TEST_DATABASE });
  try {
    await session.executeWrite((tx) => bumpDataVersion(tx));
  } finally {
    await session.close();
  }
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

export interface GraphFingerprint {
  nodes: number;
  relationships: number;
  /** sha256 over every node (labels, properties) and relationship (ends, type, properties), in a stable order. */
  checksum: string;
}

/**
 * The records of runs (issue 16): every committed seed or import adds an ImportRun with its ImportFiles
 * and bumps the DataVersion. They say that a run happened, not what the data is, so "the data did not
 * change" leaves them out; tests of the runs themselves read them directly.
 */
const RUN_RECORDS = "n:ImportRun OR n:ImportFile OR n:DataVersion";

/**
 * An independent picture of the whole graph (without the run records above), for "nothing changed" and
 * "everything landed" assertions.
 */
export async function graphFingerprint(
  driver: Driver,
  options: { alsoWithout?: string } = {},
): Promise<GraphFingerprint> {
  const { createHash } = await import("node:crypto");
  const excluded = options.alsoWithout ? `${RUN_RECORDS} OR ${options.alsoWithout}` : RUN_RECORDS;
  const nodes = await driver.executeQuery(
    `MATCH (n) WHERE NOT (${excluded}) RETURN coalesce(n.id, elementId(n)) AS id, labels(n) AS labels, properties(n) AS props`,
    {},
    { database: TEST_DATABASE },
  );
  const rels = await driver.executeQuery(
    `MATCH (a)-[r]->(b) WHERE NOT (${excluded.replaceAll("n:", "a:")}) RETURN coalesce(a.id, elementId(a)) AS a, type(r) AS type, coalesce(b.id, elementId(b)) AS b, properties(r) AS props`,
    {},
    { database: TEST_DATABASE },
  );
  const stable = (value: unknown): string =>
    JSON.stringify(value, (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v) && !("low" in v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)),
          )
        : typeof v === "object" && v && "low" in v
          ? String(v)
          : v,
    );
  const lines = [
    ...nodes.records.map(
      (r) =>
        `N ${r.get("id")} ${stable([...(r.get("labels") as string[])].sort())} ${stable(r.get("props"))}`,
    ),
    ...rels.records.map((r) => `R ${r.get("a")} ${r.get("type")} ${r.get("b")} ${stable(r.get("props"))}`),
  ].sort();
  return {
    nodes: nodes.records.length,
    relationships: rels.records.length,
    checksum: createHash("sha256").update(lines.join("\n")).digest("hex"),
  };
}
