import type { EmbeddedNeo4jOptions } from "../../src/db/embedded-neo4j.js";
import { freePort } from "./free-port.js";

/**
 * A small embedded Neo4j of its own, in `dataDir` on a free port, for the tests that stop, kill or starve
 * a database (the shared one of test/global-setup.ts must stay up for the others).
 */
export async function scratchNeo4jOptions(
  dataDir: string,
  extra: Partial<EmbeddedNeo4jOptions> = {},
): Promise<EmbeddedNeo4jOptions> {
  return {
    dataDir,
    boltPort: await freePort(),
    password: undefined,
    heap: "512m",
    pageCacheMb: 64,
    startTimeoutMs: 180_000,
    ...extra,
  };
}
