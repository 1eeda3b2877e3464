import os from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * A quarter of this machine's memory, between 1g and 4g. An import publishes in one transaction (so
 * that readers see all of it or none), which holds every node the export adds with its index entries,
 * and Neo4j gives transactions at most 70% of its heap: at 1g all of Horizon Europe (19,189 projects)
 * fits; a generated export of 200,000 projects did not fit at 4g.
 */
export function defaultNeo4jHeap(totalBytes = os.totalmem()): string {
  const quarterGb = Math.floor(totalBytes / 4 / 2 ** 30);
  return `${Math.min(4, Math.max(1, quarterGb))}g`;
}

/** The only module that reads process.env: everything else receives a typed, validated AtlasConfig. */

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

const positiveInt = z.coerce.number({ message: "must be a number" }).int("must be a whole number").positive();

/** Analysis answers an API process keeps (answer-cache.ts); a dashboard's view is a few dozen. */
export const DEFAULT_ANSWER_CACHE_ENTRIES = 256;

/** The query limits when no ATLAS_MAX_* / ATLAS_QUERY_TIMEOUT_MS variable says otherwise. */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 5000,
  maxCost: 20000,
  maxPageSize: 500,
  maxBodyBytes: 1_048_576,
  maxVariableDepth: 32,
  maxVariableListLength: 10_000,
  maxVariableObjectFields: 1_000,
  maxVariableValues: 50_000,
  maxFieldMergePairs: 1_000,
  queryTimeoutMs: 15_000,
};

const neo4jUri = z
  .string()
  .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^\s/]+/, "must be a bolt://, neo4j://, bolt+s:// or neo4j+s:// URI");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: port.default(4000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    NEO4J_URI: neo4jUri.optional(),
    NEO4J_USERNAME: z.string().min(1).default("neo4j"),
    NEO4J_PASSWORD: z.string().min(8, "must have at least 8 characters").optional(),
    NEO4J_DATABASE: z.string().min(1).default("neo4j"),
    ATLAS_NEO4J_BOLT_PORT: port.default(7687),
    ATLAS_DATA_DIR: z.string().min(1).default(".atlas"),
    ATLAS_NEO4J_HEAP: z
      .string()
      .regex(/^\d+[mMgG]$/, "must be a JVM memory size such as 1g or 768m")
      .default(defaultNeo4jHeap()),
    ATLAS_NEO4J_PAGECACHE_MB: positiveInt.default(512),
    ATLAS_NEO4J_TX_MEMORY_MB: positiveInt.min(10, "must be at least 10 (Neo4j refuses less)").optional(),
    ATLAS_NEO4J_START_TIMEOUT_MS: positiveInt.default(180_000),
    ATLAS_AUTO_SEED: booleanFromEnv.default(true),
    ATLAS_JWT_SECRET: z.string().min(32, "must have at least 32 characters").optional(),
    ATLAS_JWKS_URL: z.url({ message: "must be a URL" }).optional(),
    ATLAS_READS_REQUIRE_TOKEN: booleanFromEnv.default(false),
    ATLAS_INTROSPECTION: booleanFromEnv.optional(),
    ATLAS_PLAYGROUND: booleanFromEnv.optional(),
    ATLAS_MAX_DEPTH: positiveInt.default(DEFAULT_QUERY_LIMITS.maxDepth),
    ATLAS_MAX_ALIASES: positiveInt.default(DEFAULT_QUERY_LIMITS.maxAliases),
    ATLAS_MAX_DIRECTIVES: positiveInt.default(DEFAULT_QUERY_LIMITS.maxDirectives),
    ATLAS_MAX_TOKENS: positiveInt.default(DEFAULT_QUERY_LIMITS.maxTokens),
    ATLAS_MAX_COST: positiveInt.default(DEFAULT_QUERY_LIMITS.maxCost),
    ATLAS_MAX_PAGE_SIZE: positiveInt.default(DEFAULT_QUERY_LIMITS.maxPageSize),
    ATLAS_MAX_BODY_BYTES: positiveInt.default(DEFAULT_QUERY_LIMITS.maxBodyBytes),
    ATLAS_MAX_VARIABLE_DEPTH: positiveInt.default(DEFAULT_QUERY_LIMITS.maxVariableDepth),
    ATLAS_MAX_VARIABLE_LIST_LENGTH: positiveInt.default(DEFAULT_QUERY_LIMITS.maxVariableListLength),
    ATLAS_MAX_VARIABLE_OBJECT_FIELDS: positiveInt.default(DEFAULT_QUERY_LIMITS.maxVariableObjectFields),
    ATLAS_MAX_VARIABLE_VALUES: positiveInt.default(DEFAULT_QUERY_LIMITS.maxVariableValues),
    ATLAS_MAX_FIELD_MERGE_PAIRS: positiveInt.default(DEFAULT_QUERY_LIMITS.maxFieldMergePairs),
    ATLAS_QUERY_TIMEOUT_MS: positiveInt.default(DEFAULT_QUERY_LIMITS.queryTimeoutMs),
    ATLAS_DB_WAIT_MS: positiveInt.default(60_000),
    ATLAS_ANSWER_CACHE_ENTRIES: z.coerce
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(0, "must be 0 (off) or more")
      .max(100_000, "must be at most 100000")
      .default(DEFAULT_ANSWER_CACHE_ENTRIES),
    ATLAS_ANALYSIS_PROJECTION: booleanFromEnv.default(true),
  })
  .superRefine((env, ctx) => {
    if (env.ATLAS_JWT_SECRET && env.ATLAS_JWKS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["ATLAS_JWKS_URL"],
        message: "cannot be combined with ATLAS_JWT_SECRET: choose one",
      });
    }
    if (env.NEO4J_URI && !env.NEO4J_PASSWORD) {
      ctx.addIssue({
        code: "custom",
        path: ["NEO4J_PASSWORD"],
        message: "is required when NEO4J_URI is set",
      });
    }
  });

export type DatabaseTarget =
  | { kind: "external"; uri: string; username: string; password: string; database: string }
  | {
      kind: "embedded";
      boltPort: number;
      dataDir: string;
      password: string | undefined;
      heap: string;
      pageCacheMb: number;
      transactionMemoryMb: number | undefined;
      startTimeoutMs: number;
      database: string;
    };

export interface AtlasConfig {
  environment: "development" | "production" | "test";
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  database: DatabaseTarget;
  autoSeed: boolean;
  /** HS256 secret that admin JWTs are signed with; without it (and without a JWKS) the API is read-only. */
  jwtSecret: string | undefined;
  /** A JWKS endpoint whose keys verify JWTs (RS256/ES256), instead of the secret. */
  jwksUrl: string | undefined;
  readsRequireToken: boolean;
  introspection: boolean;
  playground: boolean;
  limits: QueryLimits;
  /** How long start-up waits for the database before giving up. */
  databaseWaitMs: number;
  /** ATLAS_ANSWER_CACHE_ENTRIES: analysis answers kept per data version; 0 turns the cache off. */
  answerCacheEntries: number;
  /** ATLAS_ANALYSIS_PROJECTION: analyses read an in-memory projection per data version (issue 19); false: Cypher per request. */
  analysisProjection: boolean;
}

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  maxPageSize: number;
  maxBodyBytes: number;
  /** Nesting of objects and lists in a request's variables (graphql-js coerces them recursively). */
  maxVariableDepth: number;
  /** Items of any one list in a request's variables. */
  maxVariableListLength: number;
  /** Fields of one object in the variables; the widest input type of the schema has far fewer. */
  maxVariableObjectFields: number;
  /** Values (scalars, objects, lists) in all of a request's variables together. */
  maxVariableValues: number;
  /** Pairs of same-named fields validation must compare (field-merge-limit.ts); quadratic in repeats. */
  maxFieldMergePairs: number;
  queryTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * The configuration from environment variables (`env`, by default process.env; relative paths against
 * `cwd`). Validates every variable at once, so that a user fixes all mistakes in one go: throws a
 * ConfigError listing each problem (passwords and secrets never echoed).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AtlasConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join(".");
        const value = defined[name];
        const shown = value === undefined || /PASSWORD|SECRET/.test(name) ? "" : ` (got "${value}")`;
        return `${name} ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const database: DatabaseTarget = e.NEO4J_URI
    ? {
        kind: "external",
        uri: e.NEO4J_URI,
        username: e.NEO4J_USERNAME,
        password: e.NEO4J_PASSWORD!,
        database: e.NEO4J_DATABASE,
      }
    : {
        kind: "embedded",
        boltPort: e.ATLAS_NEO4J_BOLT_PORT,
        dataDir: path.resolve(cwd, e.ATLAS_DATA_DIR),
        password: e.NEO4J_PASSWORD,
        heap: e.ATLAS_NEO4J_HEAP,
        pageCacheMb: e.ATLAS_NEO4J_PAGECACHE_MB,
        transactionMemoryMb: e.ATLAS_NEO4J_TX_MEMORY_MB,
        startTimeoutMs: e.ATLAS_NEO4J_START_TIMEOUT_MS,
        database: "neo4j",
      };
  return {
    environment: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    database,
    autoSeed: e.ATLAS_AUTO_SEED,
    jwtSecret: e.ATLAS_JWT_SECRET,
    jwksUrl: e.ATLAS_JWKS_URL,
    readsRequireToken: e.ATLAS_READS_REQUIRE_TOKEN,
    // Production hides the schema unless told otherwise; development shows it.
    introspection: e.ATLAS_INTROSPECTION ?? e.NODE_ENV !== "production",
    playground: e.ATLAS_PLAYGROUND ?? e.NODE_ENV !== "production",
    limits: {
      maxDepth: e.ATLAS_MAX_DEPTH,
      maxAliases: e.ATLAS_MAX_ALIASES,
      maxDirectives: e.ATLAS_MAX_DIRECTIVES,
      maxTokens: e.ATLAS_MAX_TOKENS,
      maxCost: e.ATLAS_MAX_COST,
      maxPageSize: e.ATLAS_MAX_PAGE_SIZE,
      maxBodyBytes: e.ATLAS_MAX_BODY_BYTES,
      maxVariableDepth: e.ATLAS_MAX_VARIABLE_DEPTH,
      maxVariableListLength: e.ATLAS_MAX_VARIABLE_LIST_LENGTH,
      maxVariableObjectFields: e.ATLAS_MAX_VARIABLE_OBJECT_FIELDS,
      maxVariableValues: e.ATLAS_MAX_VARIABLE_VALUES,
      maxFieldMergePairs: e.ATLAS_MAX_FIELD_MERGE_PAIRS,
      queryTimeoutMs: e.ATLAS_QUERY_TIMEOUT_MS,
    },
    databaseWaitMs: e.ATLAS_DB_WAIT_MS,
    answerCacheEntries: e.ATLAS_ANSWER_CACHE_ENTRIES,
    analysisProjection: e.ATLAS_ANALYSIS_PROJECTION,
  };
}
