import path from "node:path";
import type { AtlasConfig } from "./config/config.js";
import { connectDatabase, type DatabaseConnection, readServerInfo } from "./db/connection.js";
import { embeddedNeo4jSpawned } from "./db/embedded-neo4j.js";
import { applySchema, planSchema, schemaStatements } from "./db/schema-setup.js";
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

/** Milliseconds from the start of startAtlas to each phase that has been reached, by phase name. */
type Phases = { mark(name: string): void; readonly ms: Record<string, number> };

function phaseClock(): Phases {
  const started = performance.now();
  const ms: Record<string, number> = {};
  return { ms, mark: (name) => (ms[name] = Math.round(performance.now() - started)) };
}

/**
 * config -> database and schema (built while an embedded Neo4j starts) -> server, only in that direction.
 * Logs the milliseconds from the start to each phase (`startMs`) with the ready line.
 */
export async function startAtlas(config: AtlasConfig, log: Logger): Promise<RunningAtlas> {
  // Before Neo4j: a taken port is a mistake seen in milliseconds, not after a minute of start-up.
  await assertPortFree(config.host, config.port);
  const phases = phaseClock();
  const { db, built, typeDefs } = await connectWhileBuildingSchema(config, log, phases);
  try {
    if (!config.jwtSecret && !config.jwksUrl)
      log.warn(
        "neither ATLAS_JWT_SECRET nor ATLAS_JWKS_URL is set: the API is read-only (no admin token can be verified)",
      );
    await prepareDatabase(db, built.neo4jGraphQL, typeDefs, config, log);
    phases.mark("databaseChecked");
    if (config.autoSeed && (await isGraphEmpty(db.driver, db.database))) {
      log.info("the graph is empty: loading the seed");
      await loadSeed(db.driver, db.database, log);
    }
    const http = await startHttpServer(httpServerOptions(config, db, built.schema, log));
    phases.mark("ready");
    logReady(config, http, phases, log);
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
 * The database connection (supervised: an embedded Neo4j that dies is restarted while the server keeps
 * answering, 503 meanwhile) and the GraphQL schema, which needs no database: it is built (about 2 s of
 * this process's CPU) while the JVM starts, once the Java process is spawned (the build holds the
 * event loop, which the spawn needs first). A failed schema build stops Neo4j again.
 */
async function connectWhileBuildingSchema(config: AtlasConfig, log: Logger, phases: Phases) {
  const connecting = connectDatabase(config.database, log, { supervise: true });
  let connectFailed = false;
  const connected = connecting.then(
    () => undefined,
    () => {
      connectFailed = true;
    },
  );
  await Promise.race([connected, embeddedNeo4jSpawned()]);
  // A start that failed at once (the Bolt port taken, Java missing) says so now, not after the build.
  if (connectFailed) await connecting;
  let built: Awaited<ReturnType<typeof buildAtlasSchema>>;
  let typeDefs: string;
  try {
    typeDefs = loadTypeDefs();
    built = await buildAtlasSchema({
      typeDefs,
      jwtSecret: config.jwtSecret,
      jwksUrl: config.jwksUrl,
      // Beside the build's own stamps: validated once per change of the type definitions or libraries.
      validationRecord: path.join(projectRoot(), "dist", ".type-defs-validated"),
    });
    phases.mark("schemaBuilt");
  } catch (error) {
    // Neo4j is stopped again once it is up (or its start failed, which then says nothing more).
    await connecting.then(
      (db) => db.close(),
      () => undefined,
    );
    throw error;
  }
  const db = await connecting;
  phases.mark("neo4jConnected");
  return { db, built, typeDefs };
}

/**
 * Waits for the database, checks that @neo4j/graphql supports its version (beside reading what it
 * is, for the log), and creates the constraints and indexes that are missing.
 */
async function prepareDatabase(
  db: DatabaseConnection,
  neo4jGraphQL: Awaited<ReturnType<typeof buildAtlasSchema>>["neo4jGraphQL"],
  typeDefs: string,
  config: AtlasConfig,
  log: Logger,
): Promise<void> {
  await waitForDatabase(db, config.databaseWaitMs, log);
  const sessionConfig = { database: db.database };
  // Independent reads side by side (one round trip's time, not several): the version check, the
  // server's version, and which constraints and indexes exist already. @neo4j/graphql's
  // assertIndexesAndConstraints is not run here: applySchema creates every index the type definitions
  // ask for, and test/schema-setup.test.ts asserts that the library then finds them all.
  const statements = schemaStatements(typeDefs);
  const [, info, plan] = await Promise.all([
    neo4jGraphQL.checkNeo4jCompat({ driver: db.driver, sessionConfig }),
    readServerInfo(db.driver, db.database),
    planSchema(db.driver, db.database, statements),
  ]);
  log.info({ uri: db.uri, database: db.database, ...info }, "connected to Neo4j");
  await applySchema(db.driver, db.database, statements, plan);
}

/** The HTTP server's options from the configuration: routes, security and limits. */
function httpServerOptions(
  config: AtlasConfig,
  db: DatabaseConnection,
  schema: Awaited<ReturnType<typeof buildAtlasSchema>>["schema"],
  log: Logger,
): Parameters<typeof startHttpServer>[0] {
  return {
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
  };
}

/** The ready line: where the API, playground and dashboard answer, and the start's phases. */
function logReady(config: AtlasConfig, http: RunningHttpServer, phases: Phases, log: Logger): void {
  log.info(
    {
      startMs: phases.ms,
      graphql: `${http.url}/graphql`,
      playground: config.playground ? `${http.url}/` : null,
      dashboard: config.playground ? `${http.url}/dashboard` : null,
      ready: `${http.url}/health/ready`,
    },
    config.playground
      ? `PerMed Atlas API at ${http.url}/graphql, playground at ${http.url}/, dashboard at ${http.url}/dashboard`
      : `PerMed Atlas API at ${http.url}/graphql (playground and dashboard off)`,
  );
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
