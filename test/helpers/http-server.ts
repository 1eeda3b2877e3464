import type { Router } from "express";
import type { Driver } from "neo4j-driver";
import { buildAtlasSchema } from "../../src/graphql/build-schema.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type HttpSecurity, type RunningHttpServer, startHttpServer } from "../../src/server/http-server.js";
import { createLogger } from "../../src/util/logger.js";
import { TEST_DATABASE } from "./database.js";

/**
 * The HTTP server alone around a driver, on a free port of 127.0.0.1: for tests that need the server
 * without the rest of start-up (a database that goes away, web routes over a made-up build).
 * The analysis resolvers are always there (they take the driver from the request contract); the
 * `analysis` option is kept for the callers that still pass it.
 */
export async function startBareServer(
  driver: Driver,
  options: { routes?: Router[]; analysis?: boolean; security?: HttpSecurity } = {},
): Promise<RunningHttpServer> {
  const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
  return startHttpServer({
    schema,
    driver,
    database: TEST_DATABASE,
    host: "127.0.0.1",
    port: 0,
    log: createLogger("silent"),
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.security ? { security: options.security } : {}),
  });
}
