import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import compression from "compression";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { GraphQLSchema } from "graphql";
import type { JWTPayload } from "jose";
import type { Driver } from "neo4j-driver";
import type { AnalysisContext } from "../analysis/analysis-context.js";
import { AnswerCache, graphDataVersion } from "../analysis/answer-cache.js";
import { ProjectionStore } from "../analysis/projection-store.js";
import { DEFAULT_ANSWER_CACHE_ENTRIES, DEFAULT_QUERY_LIMITS, type QueryLimits } from "../config/config.js";
import { versionedDriver } from "../db/data-version.js";
import type { DatabaseHealth } from "../db/neo4j-supervisor.js";
import { codedError, ERROR_CODES } from "../util/error-codes.js";
import type { Logger } from "../util/logger.js";
import { curateRoutes } from "./curate-routes.js";
import { createErrorFormatter } from "./error-format.js";
import { exportRoute } from "./export-route.js";
import { fieldMergeLimit } from "./field-merge-limit.js";
import { healthRoutes } from "./health.js";
import { errorResponder } from "./http-errors.js";
import { nullFiltersPlugin } from "./null-filters.js";
import { operationAccessPlugin } from "./operation-access.js";
import { queryLimits } from "./query-limits.js";
import { contractOf, type RequestContract, requestContracts } from "./request-contract.js";
import { type RequestLogState, requestLogPlugin } from "./request-log.js";
import { allow, assertEveryRouteHasARule } from "./route-access.js";
import { typenameOnlySelectionRule } from "./selection-rules.js";
import { strictTemporalArgumentsPlugin } from "./strict-scalars.js";
import { createTokenVerifier, type TokenVerifier } from "./token.js";
import { unavailableStatusPlugin } from "./unavailable-status.js";
import { unsupportedFiltersPlugin } from "./unsupported-filters.js";
import { variableLimits } from "./variable-limits.js";

export interface HttpSecurity {
  production: boolean;
  introspection: boolean;
  limits: QueryLimits;
  /** Reads need a valid token too (ATLAS_READS_REQUIRE_TOKEN); writes always need the admin role. */
  readsRequireToken: boolean;
  /** Verifies bearer tokens (secret or JWKS); one that verifies nothing makes the API read-only. */
  verifyToken: TokenVerifier;
}

export interface HttpServerOptions {
  schema: GraphQLSchema;
  driver: Driver;
  database: string;
  host: string;
  port: number;
  log: Logger;
  security?: HttpSecurity;
  /** Extra routes (the web front end), mounted last; each route must have a rule (route-access.ts). */
  routes?: express.Router[];
  /** Analysis answers kept per data version (ATLAS_ANSWER_CACHE_ENTRIES); 0 computes every answer. */
  answerCacheEntries?: number;
  /** Analyses answered from the in-memory projection of the data version (default true). */
  analysisProjection?: boolean;
  /**
   * The embedded Neo4j's supervisor's view, for the health routes (health.ts) and the reason in a data
   * route's SERVICE_UNAVAILABLE (error-format.ts); default: always up.
   */
  databaseHealth?: () => DatabaseHealth;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** The express app, so that tests can list the routes it really registers. */
  app: Express;
  stop(): Promise<void>;
}

/** What a GraphQL resolver gets: the request contract, and the same settings in @neo4j/graphql's terms. */
export interface AtlasContext {
  contract: RequestContract;
  sessionConfig: { database: string };
  /** The verified claims (roles normalised to a list): @neo4j/graphql takes them as already verified. */
  jwt: JWTPayload | undefined;
  /** Every translated query runs in a transaction with this timeout and metadata. */
  transaction: RequestContract["transaction"];
  executionContext: Driver;
  log: RequestLogState;
}

/** Without `security`: development errors, introspection, the default limits, a read-only API. */
const defaultSecurity = (): HttpSecurity => ({
  production: false,
  introspection: true,
  limits: { ...DEFAULT_QUERY_LIMITS },
  readsRequireToken: false,
  verifyToken: createTokenVerifier({}),
});

/**
 * The data version read once per request context (the answer cache and the projection both need it):
 * one round trip instead of two. Keyed by the context object, so each request reads its own.
 */
function oncePerRequest(read: (context: AnalysisContext) => Promise<string>) {
  const read_ = new WeakMap<AnalysisContext, Promise<string>>();
  return (context: AnalysisContext): Promise<string> => {
    let version = read_.get(context);
    if (!version) {
      version = read(context);
      read_.set(context, version);
    }
    return version;
  };
}

/** Apollo with every limit and check of the API: query limits, access rules, strict arguments, request logs. */
function createApollo(
  schema: GraphQLSchema,
  security: HttpSecurity,
  log: Logger,
  httpServer: http.Server,
  formatError: ReturnType<typeof createErrorFormatter>,
): ApolloServer<AtlasContext> {
  const limits = queryLimits(security.limits);
  return new ApolloServer<AtlasContext>({
    schema,
    introspection: security.introspection,
    // "Did you mean ...?" names fields, types and enum values that introspection would hide.
    hideSchemaDetailsFromClientErrors: security.production,
    includeStacktraceInErrorResponses: !security.production,
    formatError,
    parseOptions: limits.parseOptions,
    validationRules: [...limits.validationRules, typenameOnlySelectionRule],
    // main.ts owns the signals: it must stop the database after the server, not exit in between.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No type or field has a cache hint, and the default cache-control plugin hooks every resolved
      // field: on a network of thousands of nodes that is a quarter of execution, on the event loop.
      ApolloServerPluginCacheControlDisabled(),
      requestLogPlugin(log),
      operationAccessPlugin(),
      unsupportedFiltersPlugin(),
      nullFiltersPlugin(),
      strictTemporalArgumentsPlugin(),
      unavailableStatusPlugin<AtlasContext>(),
      // Armor's typings come from Apollo's CommonJS build; the plugins are the same at run time.
      ...(limits.plugins as ApolloServerPlugin<AtlasContext>[]),
    ],
  });
}

/**
 * The per-request contracts (request-contract.ts) with the server's shared analysis services: the
 * answer cache and, unless turned off, the analysis projection, both keyed by one data-version read
 * per request.
 */
function contractsMiddleware(
  options: HttpServerOptions,
  security: HttpSecurity,
  formatError: ReturnType<typeof createErrorFormatter>,
) {
  const readVersion = oncePerRequest(graphDataVersion);
  return requestContracts({
    driver: options.driver,
    database: options.database,
    queryTimeoutMs: security.limits.queryTimeoutMs,
    readsRequireToken: security.readsRequireToken,
    verifyToken: security.verifyToken,
    respondWithError: errorResponder({ format: formatError, log: options.log }),
    answers: new AnswerCache({
      maxEntries: options.answerCacheEntries ?? DEFAULT_ANSWER_CACHE_ENTRIES,
      readVersion,
      readCurrentVersion: graphDataVersion,
    }),
    projections:
      options.analysisProjection === false
        ? undefined
        : new ProjectionStore({
            driver: options.driver,
            database: options.database,
            readVersion,
            onBuilt: (built) =>
              options.log.info(
                {
                  ...built,
                  ms: Math.round(built.ms),
                  rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
                },
                "analysis projection built",
              ),
          }),
  });
}

/** POST/GET /graphql: JSON bodies up to maxBodyBytes, each request's context built from its contract. */
function graphqlRoute(apollo: ApolloServer<AtlasContext>, security: HttpSecurity) {
  return [
    allow("graphql"),
    express.json({ limit: security.limits.maxBodyBytes }),
    variableLimits(security.limits),
    fieldMergeLimit(security.limits),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const contract = contractOf(res);
        return {
          contract,
          sessionConfig: { database: contract.database },
          jwt: contract.caller.kind === "verified" ? contract.caller.jwt : undefined,
          transaction: contract.transaction,
          // A mutation that writes bumps the data version in its own transaction (src/db/data-version.ts).
          executionContext: versionedDriver(contract.driver),
          log: { requestId: contract.requestId, timing: contract.timing },
        };
      },
    }),
  ] as const;
}

/** Listens on host:port (port 0: any free port); rejects with the listen error (e.g. EADDRINUSE). */
function listen(httpServer: http.Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, resolve);
  });
}

/**
 * The HTTP server: /graphql (Apollo), /export, /health, /admin/curate and the extra routes, all behind one request
 * contract (request-contract.ts). Fails to start when a route has no access rule.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const security = options.security ?? defaultSecurity();
  const app = express();
  app.disable("x-powered-by");
  // The playground's bundle is 4 MB and network answers run to megabytes of JSON: gzip cuts both by
  // about four, which matters on the slow links of hospital and ministry networks.
  app.use(compression());
  const httpServer = http.createServer(app);
  const formatError = createErrorFormatter({
    production: security.production,
    queryTimeoutMs: security.limits.queryTimeoutMs,
    databaseHealth: options.databaseHealth,
  });
  const apollo = createApollo(options.schema, security, options.log, httpServer, formatError);
  await apollo.start();

  app.use(contractsMiddleware(options, security, formatError));
  app.use(healthRoutes(options.driver, options.database, options.databaseHealth));
  app.use(exportRoute(options.log));
  app.use(curateRoutes(options.log));
  app.all("/graphql", ...graphqlRoute(apollo, security));
  for (const router of options.routes ?? []) app.use(router);
  app.use(notFound());
  app.use(jsonErrors(security.limits.maxBodyBytes));
  assertEveryRouteHasARule(app);

  await listen(httpServer, options.host, options.port);
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    app,
    stop: () => apollo.stop(),
  };
}

/**
 * Whatever no route answered: NOT_FOUND (404) in the one error shape, so that a client parsing JSON
 * errors never meets express's HTML page. The path is echoed (shortened) to name what was asked for.
 */
function notFound(): RequestHandler {
  return (req, res) => {
    const asked = req.path.length > 120 ? `${req.path.slice(0, 120)}...` : req.path;
    contractOf(res).sendError(
      res,
      codedError(ERROR_CODES.NOT_FOUND, `No route answers ${req.method} ${asked}.`),
    );
  };
}

/**
 * Errors that reach express (body too large, bad JSON, a route's own failure) through the request
 * contract's responder: the GraphQL error shape and the code's status, never express's HTML page.
 */
function jsonErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const contract = contractOf(res);
    if (error.type === "entity.too.large") {
      contract.sendError(
        res,
        codedError(
          ERROR_CODES.PAYLOAD_TOO_LARGE,
          `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
          {
            limit: "maxBodyBytes",
            value: maxBodyBytes,
          },
        ),
      );
      return;
    }
    if (error.type === "entity.parse.failed") {
      contract.sendError(res, codedError(ERROR_CODES.BAD_REQUEST, "The request body is not valid JSON."));
      return;
    }
    // Other body-parser refusals (unsupported charset or encoding) are the client's, with a safe message.
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      contract.sendError(res, codedError(ERROR_CODES.BAD_REQUEST, (error as Error).message));
      return;
    }
    contract.sendError(res, error);
  };
}
