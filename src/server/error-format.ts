import type { GraphQLFormattedError } from "graphql";
import type { DatabaseHealth } from "../db/neo4j-supervisor.js";
import { ERROR_CODES } from "../util/error-codes.js";

/** The codes a client may see as they were raised; anything else is masked in production. */
const USER_FACING = new Set<string>(
  Object.values(ERROR_CODES).filter((code) => code !== ERROR_CODES.INTERNAL_SERVER_ERROR),
);

/**
 * graphql-js's "Did you mean ...?" hints name fields, arguments, types and enum values. Apollo's
 * hideSchemaDetailsFromClientErrors removes them from validation errors only; the same hint in the
 * coercion error of a variable (`"COUNTRYZ" does not exist in "NetworkLevel" enum. Did you mean the
 * enum value "COUNTRY"?`) is removed here.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

const UNAVAILABLE_NEO4J_CODES = new Set([
  "ServiceUnavailable",
  "SessionExpired",
  "Neo.TransientError.General.DatabaseUnavailable",
  "Neo.ClientError.Database.DatabaseNotFound",
]);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  originalError?: unknown;
  cause?: unknown;
}

/** Walks the chain of wrapped errors (GraphQLError -> @neo4j/graphql -> neo4j-driver). */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 6; depth++) {
    out.push(current);
    current = (current.originalError ?? current.cause) as ErrorLike | undefined;
  }
  return out;
}

/**
 * Errors that @neo4j/graphql or Neo4j raise for a request that is well-formed GraphQL but asks for
 * something impossible: the client's input is at fault, so they are BAD_USER_INPUT, not internal
 * errors. The library throws them as plain errors without a code (found by the fuzz test, issue 12).
 */
const USER_INPUT_MESSAGES = [
  /^Conflicting modification of /, // `name` and `name_SET` in one update
  /^Expected \w+ operation, but found: /, // a nested relationship input without create/connect
  /must be a non-negative integer/, // `first: -1` on a nested connection
  /^Division by zero is not supported/, // `divide: 0` in an update
];

/**
 * @neo4j/graphql checks arithmetic updates inside the query with `apoc.util.validate` (an Int past 32
 * bits, a Float past the largest double); the database reports a failed procedure call around the
 * library's own message, which is the client's to read.
 */
const ARITHMETIC_CHECK =
  /apoc\.util\.validate`?: Caused by: java\.lang\.RuntimeException: ((?:Overflow|Cannot \w+)\b.*)/;
const USER_INPUT_NEO4J_CODES = new Set([
  "Neo.ClientError.Statement.ArgumentError", // every value is a parameter: a bad argument is the client's
  "Neo.ClientError.Schema.ConstraintValidationFailed", // an id that another entity already has
]);

const userInputMessage = (errors: ErrorLike[]): string | undefined => {
  const constraint = errors.find(
    (e) =>
      kind(e) === "Neo4jGraphQLConstraintValidationError" ||
      e.code === "Neo.ClientError.Schema.ConstraintValidationFailed",
  );
  if (constraint)
    return "Constraint validation failed: an entity with this id (or unique value) already exists.";
  for (const e of errors) {
    const arithmetic = ARITHMETIC_CHECK.exec(e.message ?? "");
    if (arithmetic) return arithmetic[1]!.split("\n")[0];
  }
  const known = errors.find(
    (e) =>
      (e.code && USER_INPUT_NEO4J_CODES.has(e.code)) ||
      USER_INPUT_MESSAGES.some((pattern) => pattern.test(e.message ?? "")),
  );
  return known?.message?.split("\n")[0];
};

/**
 * graphql-js's own validation limits, which stop validation with a message that names none: the
 * budget of field comparisons of OverlappingFieldsCanBeMerged (graphql/validation/rules, 500,000; hit
 * by a document that repeats one field some 800 times), validate's error limit (100 errors) and the
 * limit of variable coercion errors that execution and this server's plugins set (50).
 * Every limit names itself (extensions.limit and value), as the server's own limits do.
 */
const VALIDATION_LIMITS = [
  {
    message: "Too many errors processing variables, error limit reached. Execution aborted.",
    code: ERROR_CODES.BAD_USER_INPUT,
    limit: "maxVariableErrors",
    value: 50,
    explanation:
      "The variables stopped being checked after 50 errors (graphql-js's limit); the first ones are listed before this one.",
  },
  {
    message: "Validation aborted.",
    code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED,
    limit: "overlappingFieldsComplexity",
    value: 500_000,
    explanation:
      "The document repeats fields too often to check that they can be merged (graphql-js's limit of 500000 field comparisons); ask for each field once.",
  },
  {
    message: "Too many validation errors, error limit reached. Validation aborted.",
    code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED,
    limit: "maxValidationErrors",
    value: 100,
    explanation:
      "Validation stopped after 100 errors (graphql-js's limit); the first ones are listed before this one.",
  },
];

/**
 * Limits whose refusal names the limit's value in words only: GraphQL Armor's (depth, cost, aliases,
 * directives: "Aliases limit of 15 exceeded, found 16") and graphql-js's token limit of the parser
 * ("Document contains more that 5000 tokens"). Their errors get `limit` (the setting's name, as
 * ATLAS_MAX_* is documented), `value` (the limit) and, where the message gives it, `count` (what was found).
 */
const LIMITS_IN_WORDS: { pattern: RegExp; limit: string }[] = [
  { pattern: /Query depth limit of (\d+) exceeded, found (\d+)/, limit: "maxDepth" },
  { pattern: /Query Cost limit of (\d+) exceeded, found (\d+)/, limit: "maxCost" },
  { pattern: /Aliases limit of (\d+) exceeded, found (\d+)/, limit: "maxAliases" },
  { pattern: /Directives limit of (\d+) exceeded, found (\d+)/, limit: "maxDirectives" },
  { pattern: /Document contains more that (\d+) tokens\. Parsing aborted\./, limit: "maxTokens" },
];

/** `{limit, value, count?}` of a refusal by a limit in LIMITS_IN_WORDS, or undefined. */
export function limitInWords(message: string): { limit: string; value: number; count?: number } | undefined {
  for (const { pattern, limit } of LIMITS_IN_WORDS) {
    const match = pattern.exec(message);
    if (match)
      return {
        limit,
        value: Number(match[1]),
        ...(match[2] === undefined ? {} : { count: Number(match[2]) }),
      };
  }
  return undefined;
}

const kind = (error: ErrorLike) => (error as { constructor?: { name?: string } }).constructor?.name;

/**
 * A lost database in words a client can show: the supervisor's reason when it knows one (the embedded
 * Neo4j died and is being restarted, or could not be), with `extensions.database` `{state, reason,
 * attempt?, maxAttempts?}`; a generic sentence when it does not (an external Neo4j, or a network fault).
 */
function unavailable(health: DatabaseHealth): { message: string; database?: Record<string, unknown> } {
  switch (health.state) {
    case "up":
      return { message: "The database is not available at the moment; try again shortly." };
    case "recovering":
      return {
        message: `The database is not available: ${health.reason}; it is being restarted (attempt ${health.attempt} of ${health.maxAttempts}); try again shortly.`,
        database: { ...health },
      };
    case "failed":
      return {
        message: `The database is not available: ${health.reason}; restarting it failed, the server must be restarted.`,
        database: { ...health },
      };
    case "stopping":
      return { message: `The database is not available: ${health.reason}.`, database: { ...health } };
  }
}

/**
 * Maps what is known, masks what is not. Never throws: a formatter that throws loses the answer.
 * `databaseHealth` is the embedded Neo4j's supervisor's view (neo4j-supervisor.ts), read only when an
 * error says the database is unavailable; without it the database counts as up.
 */
export function createErrorFormatter(options: {
  production: boolean;
  queryTimeoutMs: number;
  databaseHealth?: () => DatabaseHealth;
}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      const errors = chain(error);
      const base = {
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
      };
      if (
        errors.some((e) => e.code && UNAVAILABLE_NEO4J_CODES.has(e.code)) ||
        errors.some((e) => /connect|acquisition timed out/i.test(e.message ?? "") && e.name === "Neo4jError")
      ) {
        const { message, database } = unavailable(options.databaseHealth?.() ?? { state: "up" });
        return {
          message,
          ...base,
          extensions: { code: ERROR_CODES.SERVICE_UNAVAILABLE, ...(database ? { database } : {}) },
        };
      }
      if (
        errors.some(
          (e) =>
            e.code === "Neo.ClientError.Transaction.TransactionTimedOut" ||
            e.code === "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration" ||
            e.name === "QueryDeadlineExceeded",
        )
      ) {
        return {
          message: `The query took longer than the limit of ${options.queryTimeoutMs} ms; narrow it down (filters, smaller pages).`,
          ...base,
          extensions: {
            code: ERROR_CODES.QUERY_TIMEOUT,
            limit: "queryTimeoutMs",
            value: options.queryTimeoutMs,
          },
        };
      }
      // @neo4j/graphql re-throws its authentication errors as plain GraphQLErrors: the class is lost,
      // the message ("Unauthenticated" / "Forbidden") is what stays.
      if (
        errors.some((e) => kind(e) === "Neo4jGraphQLAuthenticationError" || e.message === "Unauthenticated")
      ) {
        return { message: formatted.message, ...base, extensions: { code: ERROR_CODES.UNAUTHENTICATED } };
      }
      if (errors.some((e) => kind(e) === "Neo4jGraphQLForbiddenError" || e.message === "Forbidden")) {
        return { message: formatted.message, ...base, extensions: { code: ERROR_CODES.FORBIDDEN } };
      }
      const userInput = userInputMessage(errors);
      if (userInput) {
        return { message: userInput, ...base, extensions: { code: ERROR_CODES.BAD_USER_INPUT } };
      }
      const stopped = VALIDATION_LIMITS.find((limit) => limit.message === formatted.message);
      if (stopped) {
        return {
          message: stopped.explanation,
          ...base,
          extensions: {
            // The variables' limit is BAD_USER_INPUT, as the coercion errors listed before it.
            code: stopped.code,
            limit: stopped.limit,
            value: stopped.value,
          },
        };
      }
      const code = String(formatted.extensions?.code ?? ERROR_CODES.INTERNAL_SERVER_ERROR);
      if (USER_FACING.has(code)) {
        const named = limitInWords(formatted.message);
        const withLimit: Record<string, unknown> = { ...formatted.extensions, ...named };
        if (!options.production) return named ? { ...formatted, extensions: withLimit } : formatted;
        const { stacktrace: _stack, ...extensions } = withLimit;
        return { ...formatted, message: formatted.message.replace(SUGGESTION, ""), extensions };
      }
      if (options.production) {
        return {
          message: "Unexpected error.",
          ...base,
          extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
        };
      }
      return {
        ...formatted,
        extensions: { ...formatted.extensions, code: ERROR_CODES.INTERNAL_SERVER_ERROR },
      };
    } catch {
      return { message: "Unexpected error.", extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR } };
    }
  };
}
