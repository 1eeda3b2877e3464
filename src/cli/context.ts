import type { AtlasConfig } from "../config/config.js";
import { connectDatabase, type DatabaseConnection } from "../db/connection.js";
import type { Logger } from "../util/logger.js";

export interface CliContext {
  config(): AtlasConfig;
  logger(level: string): Logger;
}

/**
 * Runs a command against the configured database: attaches to the embedded Neo4j that a running
 * server owns, or starts one for the length of the command and stops it afterwards.
 */
export async function withDatabase<T>(
  context: CliContext,
  work: (db: DatabaseConnection, config: AtlasConfig, log: Logger) => Promise<T>,
): Promise<T> {
  const config = context.config();
  const log = context.logger(config.logLevel === "info" ? "warn" : config.logLevel);
  const db = await connectDatabase(config.database, log);
  try {
    return await work(db, config, log);
  } finally {
    await db.close();
  }
}
