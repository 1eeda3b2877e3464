import { GraphQLError } from "graphql";

/**
 * The one list of the `extensions.code` values a client may see, on /graphql and on every other HTTP
 * route alike, with the HTTP status each is answered with. Any other code is masked as
 * INTERNAL_SERVER_ERROR in production. test/access-control.test.ts fails when a code is written as a
 * string literal anywhere else in src/.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** A page cursor whose item moved since it was issued: restart paging from the first page. */
  STALE_CURSOR: "STALE_CURSOR",
  BAD_REQUEST: "BAD_REQUEST",
  /** No route answers this method and path (the GraphQL error shape, not a framework's HTML page). */
  NOT_FOUND: "NOT_FOUND",
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  OPERATION_RESOLUTION_FAILURE: "OPERATION_RESOLUTION_FAILURE",
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  PERSISTED_QUERY_NOT_SUPPORTED: "PERSISTED_QUERY_NOT_SUPPORTED",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  QUERY_TIMEOUT: "QUERY_TIMEOUT",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The HTTP status of an answer whose (first) error has this code. Apollo sets the GraphQL ones itself
 * (parse and validation failures are 400); the others are set by whoever raises them, from this table.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  STALE_CURSOR: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
  QUERY_TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
};

/** Whether `value` is one of the ERROR_CODES a client may see. */
export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === "string" && Object.hasOwn(ERROR_CODES, value);

/**
 * A GraphQL error with a code of the list; `extensions` adds fields such as `argumentName`, `limit` and
 * `value`. For errors raised in resolvers: the answer keeps HTTP 200 with the data that was computed.
 */
export function codedError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ERROR_CODES[code], ...extensions } });
}

/**
 * A refusal of the whole request (credentials, limits), raised before anything runs: the answer's HTTP
 * status is the code's (Apollo reads `extensions.http` from errors of the context function and plugin
 * hooks and never shows it to the client).
 */
export function refusal(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ERROR_CODES[code], ...extensions, http: { status: HTTP_STATUS[code] } },
  });
}
