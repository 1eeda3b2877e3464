import { SignJWT } from "jose";
import { loadConfig } from "../../src/config/config.js";
import { buildAtlasSchema } from "../../src/graphql/build-schema.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type RunningHttpServer, startHttpServer } from "../../src/server/http-server.js";
import { createTokenVerifier } from "../../src/server/token.js";
import { createLogger } from "../../src/util/logger.js";
import { type RecordedQuery, type Responder, recordingDriver } from "./recording-driver.js";

/** The HS256 secret of the harness's server (ATLAS_JWT_SECRET needs 32 characters or more). */
const SECRET = "server-harness-secret-0123456789abcdef";

let schemaOnce: ReturnType<typeof buildAtlasSchema> | undefined;

/**
 * The schema is built once per test file and shared by its servers: @neo4j/graphql's augmentation
 * takes seconds, the servers around it milliseconds. Its JWT key is the harness's secret.
 */
function atlasSchema(): ReturnType<typeof buildAtlasSchema> {
  schemaOnce ??= buildAtlasSchema({ typeDefs: loadTypeDefs(), jwtSecret: SECRET });
  return schemaOnce;
}

/** A GraphQL answer as the server sent it: HTTP status and the parsed JSON body. */
export interface GraphQLAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

export interface StubServer {
  server: RunningHttpServer;
  /** Every query the server sent to its driver, in order (Cypher with indentation removed, parameters). */
  queries: RecordedQuery[];
  /** The queries it ran in write transactions (`executeWrite`). */
  writes: RecordedQuery[];
  /** POSTs a document to /graphql, with `Authorization: Bearer <token>` when a token is given. */
  post(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string },
  ): Promise<GraphQLAnswer>;
  /** A valid HS256 token of the server's secret with these roles (e.g. `["admin"]`; `[]`: a reader). */
  token(roles: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real HTTP server (startHttpServer) with the real schema (buildAtlasSchema over schema/) and the
 * security, limits and projection setting that `loadConfig` derives from `env` (NODE_ENV production
 * unless told otherwise, an HS256 secret), on a free port of 127.0.0.1, over a driver that runs
 * nothing (recording-driver.ts): each query is recorded and answered by `respond` (no rows by default).
 * For tests of what the server does around the database (access, limits, error shapes, paging plans,
 * resolvers over canned rows) in milliseconds; what queries compute is tested against a real Neo4j.
 * The answer cache is off: a canned database has one data version forever, so a cached answer of one
 * test would answer the next.
 */
export async function startStubServer(
  options: {
    respond?: Responder;
    env?: Record<string, string>;
    /** Whole analysis answers kept (default 0, off); a test of the cached path turns it on. */
    answerCacheEntries?: number;
  } = {},
): Promise<StubServer> {
  const config = loadConfig({
    NODE_ENV: "production",
    ATLAS_JWT_SECRET: SECRET,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const { driver, queries, writes } = recordingDriver(options.respond);
  const { schema } = await atlasSchema();
  const server = await startHttpServer({
    schema,
    driver,
    database: "neo4j",
    host: "127.0.0.1",
    port: 0,
    log: createLogger("silent"),
    answerCacheEntries: options.answerCacheEntries ?? 0,
    analysisProjection: config.analysisProjection,
    security: {
      production: config.environment === "production",
      introspection: config.introspection,
      limits: config.limits,
      readsRequireToken: config.readsRequireToken,
      verifyToken: createTokenVerifier({ secret: config.jwtSecret }),
    },
  });
  return {
    server,
    queries,
    writes,
    post: async (query, { variables, token } = {}) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLAnswer["body"] };
    },
    token: (roles) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("harness")
        .setExpirationTime("10m")
        .sign(new TextEncoder().encode(SECRET)),
    stop: () => server.stop(),
  };
}
