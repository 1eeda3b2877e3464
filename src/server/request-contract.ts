import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { Driver } from "neo4j-driver";
import type { AnalysisContext, TransactionSettings } from "../analysis/analysis-context.js";
import type { AnswerCache } from "../analysis/answer-cache.js";
import type { WholeNetwork } from "../analysis/collaboration-network.js";
import type { ProjectionStore } from "../analysis/projection-store.js";
import { ADMIN_ROLE } from "../graphql/build-schema.js";
import { ERROR_CODES, refusal } from "../util/error-codes.js";
import { type RequestTiming, requestTiming, timedDriver } from "./database-timing.js";
import type { ErrorResponder } from "./http-errors.js";
import { TokenRefused, type TokenVerifier, type VerifiedCaller } from "./token.js";

/** What a request may do: `read` any data (GraphQL queries, exports), `write` (GraphQL mutations). */
export type Action = "read" | "write";

/** Who sent the request: no token, a verified token, or a token that was refused (and why). */
export type Caller =
  | { kind: "anonymous" }
  | ({ kind: "verified" } & VerifiedCaller)
  | { kind: "refused"; reason: string };

/**
 * The contract of one HTTP request, built once per request by `requestContracts` and used by every
 * route that touches data (generated GraphQL queries, analysis resolvers, the export route):
 * - who may do what: `authorize(action)` throws UNAUTHENTICATED (HTTP 401) or FORBIDDEN (HTTP 403);
 * - how its database work runs: every transaction with `transaction` (the configured timeout in ms and
 *   metadata naming the request, visible in Neo4j's `SHOW TRANSACTIONS` and query log), through a driver
 *   that adds the time spent to `timing.dbMs`.
 */
export interface RequestContract {
  requestId: string;
  caller: Caller;
  /** Milliseconds during which at least one of the request's Neo4j transactions was open (database-timing.ts). */
  timing: RequestTiming;
  database: string;
  transaction: Required<TransactionSettings>;
  /** The driver every query of the request goes through (timed). */
  driver: Driver;
  /** The same database, driver and transaction settings, as the analysis functions take them. */
  analysis: AnalysisContext;
  /** The server's analysis answers by data version (answer-cache.ts), shared by all its requests. */
  answers: AnswerCache;
  /**
   * This request's whole networks by definition: a network and its metrics asked in one request are
   * computed once (src/graphql/analysis-resolvers.ts). Lives and dies with the request.
   */
  networks: Map<string, Promise<WholeNetwork>>;
  /** Throws the refusal (a GraphQLError with code and HTTP status) when the caller may not do this. */
  authorize(action: Action): void;
  /** Answers an error on a route beside /graphql, in the GraphQL error shape (http-errors.ts). */
  sendError(res: Response, error: unknown): void;
}

export interface ContractOptions {
  driver: Driver;
  database: string;
  queryTimeoutMs: number;
  /** Reads need a valid token (ATLAS_READS_REQUIRE_TOKEN); writes always need one with the admin role. */
  readsRequireToken: boolean;
  /** Verifies bearer tokens; without one (no secret, no JWKS) every token is refused: read-only API. */
  verifyToken: TokenVerifier;
  respondWithError: ErrorResponder;
  answers: AnswerCache;
  /** The server's analysis projection (projection-store.ts); absent: analyses run Cypher per request. */
  projections?: ProjectionStore | undefined;
}

/** Caller ids are kept (short and printable only) so that logs join across services. */
function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
}

function authorizer(caller: Caller, readsRequireToken: boolean) {
  return (action: Action): void => {
    if (caller.kind === "refused")
      throw refusal(ERROR_CODES.UNAUTHENTICATED, `Unauthenticated: ${caller.reason}`);
    if (caller.kind === "anonymous") {
      if (action === "read" && !readsRequireToken) return;
      throw refusal(
        ERROR_CODES.UNAUTHENTICATED,
        action === "write"
          ? `Unauthenticated: writing needs a bearer token with the role "${ADMIN_ROLE}"`
          : "Unauthenticated: reading needs a bearer token",
      );
    }
    if (action === "write" && !caller.roles.includes(ADMIN_ROLE)) {
      throw refusal(ERROR_CODES.FORBIDDEN, `Forbidden: writing needs the role "${ADMIN_ROLE}"`);
    }
  };
}

/**
 * Express middleware that builds the request's contract (verifying its token, if any, once), stores it
 * for `contractOf(res)`, echoes the request id in `x-request-id`, and runs the rest of the request in
 * the contract's timing scope. It never refuses by itself: routes say what they need (route-access.ts).
 */
export function requestContracts(options: ContractOptions): RequestHandler {
  const driver = timedDriver(options.driver);
  return async (req, res, next) => {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    let caller: Caller;
    try {
      const verified = await options.verifyToken(req.headers.authorization);
      caller = verified ? { kind: "verified", ...verified } : { kind: "anonymous" };
    } catch (error) {
      if (!(error instanceof TokenRefused)) return next(error);
      caller = { kind: "refused", reason: error.message };
    }
    const transaction = {
      timeout: options.queryTimeoutMs,
      metadata: { app: "permed-atlas", requestId },
    };
    const contract: RequestContract = {
      requestId,
      caller,
      timing: { dbMs: 0 },
      database: options.database,
      transaction,
      driver,
      analysis: {
        driver,
        database: options.database,
        transaction,
        ...(options.projections ? { projections: options.projections } : {}),
      },
      answers: options.answers,
      networks: new Map(),
      authorize: authorizer(caller, options.readsRequireToken),
      sendError: (response, error) => options.respondWithError(response, error, requestId),
    };
    res.locals.contract = contract;
    requestTiming.run(contract.timing, () => next());
  };
}

/** The contract `requestContracts` built for this request; throws if the middleware was not mounted. */
export function contractOf(res: Response): RequestContract {
  const contract = res.locals.contract as RequestContract | undefined;
  if (!contract) throw new Error("no request contract: requestContracts() must be mounted before the routes");
  return contract;
}
