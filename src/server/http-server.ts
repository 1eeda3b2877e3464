import http from "node:http";
import type { AddressInfo } from "node:net";
import { constants as zlibConstants } from "node:zlib";
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import compression from "compression";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import {
  type FormattedExecutionResult,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from "graphql";
import type { JWTPayload } from "jose";
import { LRUCache } from "lru-cache";
import neo4j, { type Driver, type ManagedTransaction, type Session } from "neo4j-driver";
import type { AnalysisContext } from "../analysis/analysis-context.js";
import { AnswerCache, graphDataVersion } from "../analysis/answer-cache.js";
import { ProjectionStore } from "../analysis/projection-store.js";
import { DEFAULT_ANSWER_CACHE_ENTRIES, DEFAULT_QUERY_LIMITS, type QueryLimits } from "../config/config.js";
import { versionedDriver } from "../db/data-version.js";
import type { DatabaseHealth } from "../db/neo4j-supervisor.js";
import { codedError, ERROR_CODES } from "../util/error-codes.js";
import type { Logger } from "../util/logger.js";
import { refuseInvalidUtf8 } from "../util/utf8.js";
import { type AnswerBodies, answerBodies } from "./answer-bodies.js";
import { variableCoercionPlugin } from "./coerced-variables.js";
import { curateRoutes } from "./curate-routes.js";
import { timedDriver } from "./database-timing.js";
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
import { refuseInvalidUrlEncoding } from "./url-encoding.js";
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

/**
 * The Query fields whose answers come from the answer cache by data version (analysis-resolvers.ts),
 * and `dataVersion` (the request's own version read): a document of these alone is answered by its
 * data version and arguments only.
 */
const VERSIONED_FIELDS = new Set([
  "collaborationNetwork",
  "networkMetrics",
  "networkCommunities",
  "networkSeries",
  "portfolioSimilarity",
  "shortestPath",
  "fundingMatrix",
  "fundingGaps",
  "fundingByFunder",
  "coverage",
  "coFundingNetwork",
  "fundingTrend",
  "export",
  "dataVersion",
  "__typename",
]);

/** Whether the operation is a query that selects only VERSIONED_FIELDS, directly (no fragments at its top). */
function onlyVersionedFields(operation: OperationDefinitionNode): boolean {
  return (
    operation.operation === "query" &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && VERSIONED_FIELDS.has(selection.name.value),
    )
  );
}

/**
 * Whole answers (formatted, as sent) of analysis documents, by data version, document text, operation
 * name and variables: the same request again at an unchanged data version skips execution, where
 * graphql-js walked every node, edge and cell of the cached analysis answer again (most of a cached
 * answer's time). The version is still read from Neo4j for every request (the request's one read,
 * shared with its resolvers), so an answer is never stale, whichever process wrote; answers of another
 * version are dropped as the answer cache drops its own. Only answers without errors are kept, so a
 * computation refused as DATA_CHANGED is not. Access rules and argument checks run before (Apollo's
 * didResolveOperation), as for any request.
 */
function versionedResponses(
  maxEntries: number,
  readVersion: (context: AnalysisContext) => Promise<string>,
  bodies: AnswerBodies,
): ApolloServerPlugin<AtlasContext> {
  const responses = new LRUCache<string, FormattedExecutionResult>({ max: Math.max(1, maxEntries) });
  let current: string | undefined;
  return {
    async requestDidStart() {
      let key: string | undefined;
      return {
        async responseForOperation({ operation, request, contextValue }) {
          // Apollo asks before it finds that no operation can be resolved (two operations and no
          // operationName, a name the document lacks): `operation` is then undefined whatever its type says.
          const resolved = operation as OperationDefinitionNode | undefined;
          if (!resolved || !onlyVersionedFields(resolved) || typeof request.query !== "string") return null;
          // A failed read (Neo4j down, a bug) is left to the resolvers, which meet the same failure (the
          // read is the request's one) and answer it in the GraphQL error shape, logged as any other.
          const version = await readVersion(contextValue.contract.analysis).catch(() => undefined);
          if (version === undefined) return null;
          if (version !== current) {
            responses.clear();
            current = version;
          }
          key = JSON.stringify([
            version,
            request.query,
            request.operationName ?? null,
            request.variables ?? {},
          ]);
          const known = responses.get(key);
          return known
            ? {
                http: { status: undefined, headers: new HeaderMap() },
                body: { kind: "single", singleResult: known },
              }
            : null;
        },
        async willSendResponse({ response }) {
          if (!key || response.body.kind !== "single" || response.body.singleResult.errors) return;
          responses.set(key, response.body.singleResult);
          // Its text and gzipped bytes are kept with it: sent again as they were (answer-bodies.ts).
          bodies.keep(response.body.singleResult);
        },
      };
    },
  };
}

/** Apollo with every limit and check of the API: query limits, access rules, strict arguments, request logs. */
function createApollo(
  schema: GraphQLSchema,
  security: HttpSecurity,
  log: Logger,
  httpServer: http.Server,
  formatError: ReturnType<typeof createErrorFormatter>,
  responses: ApolloServerPlugin<AtlasContext> | undefined,
  bodies: AnswerBodies,
): ApolloServer<AtlasContext> {
  const limits = queryLimits(security.limits);
  return new ApolloServer<AtlasContext>({
    schema,
    introspection: security.introspection,
    // "Did you mean ...?" names fields, types and enum values that introspection would hide.
    hideSchemaDetailsFromClientErrors: security.production,
    includeStacktraceInErrorResponses: !security.production,
    formatError,
    stringifyResult: bodies.stringifyResult,
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
      // Before the answers from memory: variables that do not coerce get their errors, not an answer.
      variableCoercionPlugin<AtlasContext>(formatError),
      // Last: every check above has passed when it answers from memory.
      ...(responses ? [responses] : []),
    ],
  });
}

/**
 * The data version now (`readVersionNow`), and the request's (`readVersion`: read once per request
 * context). It is one query: read as an auto-commit query (one round trip instead of BEGIN, RUN and
 * COMMIT), through a timed driver so that it counts in dbMs and keeps the request's deadline. It is
 * read from Neo4j for every request, so a cached answer is never stale, whichever process wrote.
 */
function versionReaders(driver: Driver) {
  const versionDriver = timedDriver(autoCommitReads(driver));
  const readVersionNow = (context: AnalysisContext) =>
    graphDataVersion({ ...context, driver: versionDriver });
  return { readVersionNow, readVersion: oncePerRequest(readVersionNow) };
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
  { readVersion, readVersionNow }: ReturnType<typeof versionReaders>,
) {
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
      readCurrentVersion: readVersionNow,
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

/** Attempts of an auto-commit read that fails with an error the driver calls retryable (then given up). */
const AUTO_COMMIT_READ_ATTEMPTS = 3;

/**
 * A driver whose sessions run `executeRead(work, config)` as auto-commit queries: each `tx.run` of the
 * work is one `session.run` with the same timeout and metadata, which the driver sends as RUN and PULL in
 * one write. A managed read sends BEGIN, then RUN and PULL, then COMMIT: three writes and three round
 * trips for the one query @neo4j/graphql translates a request into; on two shared cores each write wakes
 * Neo4j's Bolt thread, and the three were the largest single cost of a generated lookup (profile in
 * docs/benchmarks.md). Only for @neo4j/graphql's reads: they run one query per transaction, so nothing
 * depends on two queries seeing one snapshot (the analyses, which do, keep their managed transactions).
 * A read that fails with a retryable error (a lost connection, a cluster's leader change) is run again,
 * as a managed read would be; writes (executeWrite) are untouched.
 */
export function autoCommitReads(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      if (property !== "session") return Reflect.get(target, property, receiver);
      return (...args: Parameters<Driver["session"]>): Session => {
        const session = target.session(...args);
        session.executeRead = (async (work: (tx: ManagedTransaction) => unknown, config?: object) => {
          const tx = {
            run: (query: string, parameters?: Record<string, unknown>) =>
              session.run(query, parameters, config),
          } as ManagedTransaction;
          for (let attempt = 1; ; attempt++) {
            try {
              return await work(tx);
            } catch (error) {
              if (attempt >= AUTO_COMMIT_READ_ATTEMPTS || !neo4j.isRetriableError(error as Error))
                throw error;
            }
          }
        }) as Session["executeRead"];
        return session;
      };
    },
  });
}

/** POST/GET /graphql: JSON bodies up to maxBodyBytes, each request's context built from its contract. */
function graphqlRoute(
  apollo: ApolloServer<AtlasContext>,
  security: HttpSecurity,
  driver: Driver,
  bodies: AnswerBodies,
) {
  // The contract's driver (timed, reads held to their deadline), with auto-commit reads beneath the
  // timing so that they count in dbMs and keep the deadline; a mutation that writes bumps the data
  // version in its own transaction (src/db/data-version.ts). Stateless: one for all requests.
  const generatedQueries = versionedDriver(timedDriver(autoCommitReads(driver)));
  return [
    allow("graphql"),
    express.json({ limit: security.limits.maxBodyBytes, verify: refuseInvalidUtf8 }),
    variableLimits(security.limits),
    fieldMergeLimit(security.limits),
    bodies.gzipKnownBodies,
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const contract = contractOf(res);
        return {
          contract,
          sessionConfig: { database: contract.database },
          jwt: contract.caller.kind === "verified" ? contract.caller.jwt : undefined,
          transaction: contract.transaction,
          executionContext: generatedQueries,
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
  // three to four, which matters on the slow links of hospital and ministry networks. At zlib's fastest
  // level (nginx's default): a 900 kB network series took 25 ms to gzip at the default level 6 and
  // 7.5 ms at level 1, for 13% more bytes (264 against 234 kB), paid on every uncached answer.
  app.use(compression({ level: zlibConstants.Z_BEST_SPEED }));
  const httpServer = http.createServer(app);
  const formatError = createErrorFormatter({
    production: security.production,
    queryTimeoutMs: security.limits.queryTimeoutMs,
    databaseHealth: options.databaseHealth,
  });
  const versions = versionReaders(options.driver);
  const answerEntries = options.answerCacheEntries ?? DEFAULT_ANSWER_CACHE_ENTRIES;
  const bodies = answerBodies(answerEntries);
  const apollo = createApollo(
    options.schema,
    security,
    options.log,
    httpServer,
    formatError,
    // Off with the answer cache (ATLAS_ANSWER_CACHE_ENTRIES=0): every answer is computed then.
    answerEntries > 0 ? versionedResponses(answerEntries, versions.readVersion, bodies) : undefined,
    bodies,
  );
  await apollo.start();

  app.use(contractsMiddleware(options, security, formatError, versions));
  app.use(refuseInvalidUrlEncoding());
  app.use(healthRoutes(options.driver, options.database, options.databaseHealth));
  app.use(exportRoute(options.log));
  app.use(curateRoutes(options.log));
  app.all("/graphql", ...graphqlRoute(apollo, security, options.driver, bodies));
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
