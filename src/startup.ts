import path from "node:path";
import type { AtlasConfig } from "./config/config.js";
import { connectDatabase, type DatabaseConnection, readServerInfo } from "./db/connection.js";
import { applySchema, schemaStatements } from "./db/schema-setup.js";
import { buildAtlasSchema } from "./graphql/build-schema.js";
import { isGraphEmpty, loadSeed } from "./import/seed/load-seed.js";
import { loadTypeDefs } from "./model/type-defs.js";
import { entityExists } from "./server/entity-lookup.js";
import { type RunningHttpServer, startHttpServer } from "./server/http-server.js";
import { assertPortFree } from "./server/port-check.js";
import { createTokenVerifier } from "./server/token.js";
import { webRoutes } from "./server/web-routes.js";
import type { Logger } from "./util/logger.js";
import { projectRoot } from "./util/project-root.js";

export interface RunningAtlas {
  db: DatabaseConnection;
  http: RunningHttpServer;
  /**
   * Ends the supervision of an embedded Neo4j at once (whatever dies from now on stays down), drains
   * HTTP requests, then closes the driver and stops an owned embedded Neo4j.
   */
  stop(): Promise<void>;
}

/** config -> database -> schema -> server, in that order and only that direction. */
export async function startAtlas(config: AtlasConfig, log: Logger): Promise<RunningAtlas> {
  // Before Neo4j: a taken port is a mistake seen in milliseconds, not after a minute of start-up.
  await assertPortFree(config.host, config.port);
  // Supervised: an embedded Neo4j that dies is restarted while the server keeps answering (503 meanwhile).
  const db = await connectDatabase(config.database, log, { supervise: true });
  try {
    const typeDefs = loadTypeDefs();
    const { neo4jGraphQL, schema } = await buildAtlasSchema({
      typeDefs,
      driver: db.driver,
      jwtSecret: config.jwtSecret,
      jwksUrl: config.jwksUrl,
    });
    if (!config.jwtSecret && !config.jwksUrl)
      log.warn(
        "neither ATLAS_JWT_SECRET nor ATLAS_JWKS_URL is set: the API is read-only (no admin token can be verified)",
      );
    await waitForDatabase(db, config.databaseWaitMs, log);
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
      answerCacheEntries: config.answerCacheEntries,
      analysisProjection: config.analysisProjection,
      databaseHealth: () => db.health(),
      routes: config.playground
        ? [
            webRoutes(path.join(projectRoot(), "web", "dist"), {
              // Only where anyone may read: a public page must not reveal which ids exist otherwise.
              ...(config.readsRequireToken ? {} : { entityExists }),
            }),
          ]
        : [],
      security: {
        production: config.environment === "production",
        introspection: config.introspection,
        limits: config.limits,
        readsRequireToken: config.readsRequireToken,
        verifyToken: createTokenVerifier({ secret: config.jwtSecret, jwksUrl: config.jwksUrl }),
      },
    });
    log.info(
      {
        graphql: `${http.url}/graphql`,
        playground: config.playground ? `${http.url}/` : null,
        dashboard: config.playground ? `${http.url}/dashboard` : null,
        ready: `${http.url}/health/ready`,
      },
      config.playground
        ? `PerMed Atlas API at ${http.url}/graphql, playground at ${http.url}/, dashboard at ${http.url}/dashboard`
        : `PerMed Atlas API at ${http.url}/graphql (playground and dashboard off)`,
    );
    let stopping: Promise<void> | undefined;
    return {
      db,
      http,
      stop: () => {
        db.release();
        stopping ??= http.stop().finally(() => db.close());
        return stopping;
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * A database that is still starting (a container, a cluster electing a leader) is waited for, with
 * growing pauses, up to a bound; then start-up fails with the last reason.
 */
async function waitForDatabase(db: DatabaseConnection, waitMs: number, log: Logger): Promise<void> {
  const deadline = Date.now() + waitMs;
  let pause = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.driver.verifyConnectivity({ database: db.database });
      return;
    } catch (error) {
      const reason = (error as Error).message;
      if (Date.now() + pause > deadline) {
        throw new Error(
          `Neo4j at ${db.uri} did not answer within ${Math.round(waitMs / 1000)} s (${attempt} attempts): ${reason}`,
        );
      }
      log.warn({ attempt, retryInMs: pause, reason }, "Neo4j is not answering yet; retrying");
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 5000);
    }
  }
}
