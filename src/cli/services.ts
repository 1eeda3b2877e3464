import type { AtlasConfig } from "../config/config.js";
import { connectDatabase, type DatabaseConnection } from "../db/connection.js";
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
