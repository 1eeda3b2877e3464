import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLSchema } from "graphql";
import type { Driver } from "neo4j-driver";
import type { Logger } from "../util/logger.js";
import { exportRoute } from "./export-route.js";
import { healthRoutes } from "./health.js";

export interface HttpServerOptions {
  schema: GraphQLSchema;
  driver: Driver;
  database: string;
  host: string;
  port: number;
  log: Logger;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface AtlasContext {
  sessionConfig: { database: string };
  /** The Authorization header as sent ("Bearer <jwt>"); @neo4j/graphql verifies it. */
  token: string | undefined;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<AtlasContext>({
    schema: options.schema,
    // main.ts owns the signals: it must stop the database after the server, not exit in between.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  app.use(healthRoutes(options.driver, options.database));
  app.use(exportRoute({ driver: options.driver, database: options.database }));
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        sessionConfig: { database: options.database },
        token: req.headers.authorization,
      }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    stop: () => apollo.stop(),
  };
}
