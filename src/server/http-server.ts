import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import compression from "compression";
import express, { type ErrorRequestHandler } from "express";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { Driver } from "neo4j-driver";
import { loadConfig, type QueryLimits } from "../config/config.js";
import type { Logger } from "../util/logger.js";
import { requestTiming, timedDriver } from "./database-timing.js";
import { createErrorFormatter } from "./error-format.js";
import { exportRoute } from "./export-route.js";
import { healthRoutes } from "./health.js";
import { queryLimits } from "./query-limits.js";
import { newRequestLogContext, type RequestLogContext, requestLogPlugin } from "./request-log.js";
import { typenameOnlySelectionRule } from "./selection-rules.js";
import type { TokenVerifier } from "./token.js";

export interface HttpSecurity {
  production: boolean;
  introspection: boolean;
  limits: QueryLimits;
  /** When set, every request (reads too) needs a valid token. */
  readTokenVerifier: TokenVerifier | undefined;
}

export interface HttpServerOptions {
  schema: GraphQLSchema;
  driver: Driver;
  database: string;
  host: string;
  port: number;
  log: Logger;
  security?: HttpSecurity;
  /** Extra routes (the web front end), mounted last. */
  routes?: express.Router[];
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
  /** Every translated query runs in a transaction with this timeout. */
  transaction: { timeout: number };
  executionContext: Driver;
  log: RequestLogContext;
}

const defaultSecurity = (): HttpSecurity => {
  const config = loadConfig({});
  return { production: false, introspection: true, limits: config.limits, readTokenVerifier: undefined };
};

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const security = options.security ?? defaultSecurity();
  const app = express();
  app.disable("x-powered-by");
  // The playground's bundle is 4 MB and network answers run to megabytes of JSON: gzip cuts both by
  // about four, which matters on the slow links of hospital and ministry networks.
  app.use(compression());
  const httpServer = http.createServer(app);
  const limits = queryLimits(security.limits);
  const driver = timedDriver(options.driver);
  const apollo = new ApolloServer<AtlasContext>({
    schema: options.schema,
    introspection: security.introspection,
    includeStacktraceInErrorResponses: !security.production,
    formatError: createErrorFormatter({
      production: security.production,
      queryTimeoutMs: security.limits.queryTimeoutMs,
    }),
    validationRules: [...limits.validationRules, typenameOnlySelectionRule],
    // main.ts owns the signals: it must stop the database after the server, not exit in between.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestLogPlugin(options.log),
      // Armor's typings come from Apollo's CommonJS build; the plugins are the same at run time.
      ...(limits.plugins as ApolloServerPlugin<AtlasContext>[]),
    ],
  });
  await apollo.start();

  app.use(healthRoutes(options.driver, options.database));
  app.use(exportRoute({ driver: options.driver, database: options.database }));
  app.use(
    "/graphql",
    express.json({ limit: security.limits.maxBodyBytes }),
    (req, res, next) => {
      const log = newRequestLogContext(req.headers["x-request-id"]);
      res.setHeader("x-request-id", log.requestId);
      res.locals.log = log;
      // Database time is summed for this request only, across the awaits of its resolvers.
      requestTiming.run(log.timing, () => next());
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        if (security.readTokenVerifier) {
          try {
            await security.readTokenVerifier(req.headers.authorization);
          } catch (error) {
            throw new GraphQLError(`Unauthenticated: ${(error as Error).message}`, {
              extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
            });
          }
        }
        return {
          sessionConfig: { database: options.database },
          token: req.headers.authorization,
          transaction: { timeout: security.limits.queryTimeoutMs },
          executionContext: driver,
          log: res.locals.log as RequestLogContext,
        };
      },
    }),
  );
  for (const router of options.routes ?? []) app.use(router);
  app.use(jsonErrors(security.limits.maxBodyBytes));

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

/** Body-parser failures (too large, bad JSON) as GraphQL-shaped JSON, not express's HTML page. */
function jsonErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === "entity.too.large") {
      res.status(413).json({
        errors: [
          {
            message: `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
            extensions: { code: "PAYLOAD_TOO_LARGE", limit: "maxBodyBytes", value: maxBodyBytes },
          },
        ],
      });
      return;
    }
    if (error.type === "entity.parse.failed") {
      res.status(400).json({
        errors: [{ message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } }],
      });
      return;
    }
    res
      .status(error.status ?? 500)
      .json({ errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
  };
}
