import path from "node:path";
import { z } from "zod";

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
      .default("1g"),
    ATLAS_NEO4J_PAGECACHE_MB: positiveInt.default(512),
    ATLAS_NEO4J_START_TIMEOUT_MS: positiveInt.default(180_000),
    ATLAS_AUTO_SEED: booleanFromEnv.default(true),
    ATLAS_JWT_SECRET: z.string().min(32, "must have at least 32 characters").optional(),
  })
  .superRefine((env, ctx) => {
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
  /** HS256 secret that admin JWTs are signed with; without it no token is valid and the API is read-only. */
  jwtSecret: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates every variable at once, so that a user fixes all mistakes in one go. */
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
  };
}
