import type { AtlasConfig } from "../config/config.js";
import { connectDatabase, type DatabaseConnection } from "../db/connection.js";
import { applySchema, schemaStatements } from "../db/schema-setup.js";
import { loadTypeDefs } from "../model/type-defs.js";
import type { Logger } from "../util/logger.js";

/**
 * What every command gets from main.ts: the configuration (read when a command runs, so `--help`
 * works with a bad environment) and a logger factory. Not a GraphQL context, nor an AnalysisContext.
 */
export interface CliServices {
  config(): AtlasConfig;
  logger(level: string): Logger;
}

/**
 * Runs a command against the configured database: attaches to the embedded Neo4j that a running
 * server owns, or starts one for the length of the command and stops it afterwards.
 */
export async function withDatabase<T>(
  services: CliServices,
  work: (db: DatabaseConnection, config: AtlasConfig, log: Logger) => Promise<T>,
): Promise<T> {
  const config = services.config();
  const log = services.logger(config.logLevel === "info" ? "warn" : config.logLevel);
  const db = await connectDatabase(config.database, log);
  try {
    return await work(db, config, log);
  } finally {
    await db.close();
  }
}

/**
 * `withDatabase` for a command that writes (seed, imports, classify): with `writes`, the schema's
 * constraints and indexes are created first (idempotent, as the server does at start). A store that no
 * server ever opened has none, and every look-up of an import by id would scan all nodes (a CORDIS
 * import of 19,189 projects then took hours instead of a minute). A dry run passes false: it writes
 * nothing, not even the schema.
 */
export function withWritingDatabase<T>(
  services: CliServices,
  writes: boolean,
  work: (db: DatabaseConnection, config: AtlasConfig, log: Logger) => Promise<T>,
): Promise<T> {
  return withDatabase(services, async (db, config, log) => {
    if (writes) await applySchema(db.driver, db.database, schemaStatements(loadTypeDefs()));
    return work(db, config, log);
  });
}
