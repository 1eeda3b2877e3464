import type { AtlasConfig } from "./config/config.js";
import { connectDatabase, type DatabaseConnection, readServerInfo } from "./db/connection.js";
import { applySchema, schemaStatements } from "./db/schema-setup.js";
import { buildAtlasSchema } from "./graphql/build-schema.js";
import { loadTypeDefs } from "./graphql/type-defs.js";
import { isGraphEmpty, loadSeed } from "./import/seed/load-seed.js";
import { type RunningHttpServer, startHttpServer } from "./server/http-server.js";
import type { Logger } from "./util/logger.js";

export interface RunningAtlas {
  db: DatabaseConnection;
  http: RunningHttpServer;
  /** Drains HTTP requests, then closes the driver and stops an owned embedded Neo4j. */
  stop(): Promise<void>;
}

/** config -> database -> schema -> server, in that order and only that direction. */
export async function startAtlas(config: AtlasConfig, log: Logger): Promise<RunningAtlas> {
  const db = await connectDatabase(config.database, log);
  try {
    const typeDefs = loadTypeDefs();
    const { neo4jGraphQL, schema } = await buildAtlasSchema({
      typeDefs,
      driver: db.driver,
      jwtSecret: config.jwtSecret,
    });
    if (!config.jwtSecret)
      log.warn("ATLAS_JWT_SECRET is not set: the API is read-only (no admin token can be verified)");
    const sessionConfig = { database: db.database };
    await neo4jGraphQL.checkNeo4jCompat({ sessionConfig });
    const info = await readServerInfo(db.driver, db.database);
    log.info({ uri: db.uri, database: db.database, ...info }, "connected to Neo4j");
    await applySchema(db.driver, db.database, schemaStatements(typeDefs));
    await neo4jGraphQL.assertIndexesAndConstraints({ sessionConfig });
    if (config.autoSeed && (await isGraphEmpty(db.driver, db.database))) {
      log.info("the graph is empty: loading the seed");
      await loadSeed(db.driver, db.database, log);
    }

    const http = await startHttpServer({
      schema,
      driver: db.driver,
      database: db.database,
      host: config.host,
      port: config.port,
      log,
    });
    log.info(
      { graphql: `${http.url}/graphql`, playground: `${http.url}/`, ready: `${http.url}/health/ready` },
      `PerMed Atlas API at ${http.url}/graphql, playground at ${http.url}/`,
    );
    let stopping: Promise<void> | undefined;
    return {
      db,
      http,
      stop: () => {
        stopping ??= http.stop().finally(() => db.close());
        return stopping;
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
