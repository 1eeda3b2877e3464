import type { GraphQLError } from "graphql";
import { codedError, ERROR_CODES } from "../util/error-codes.js";

/** Bad analysis input: a GraphQL error with code BAD_USER_INPUT naming the argument. */
export function badInput(argumentName: string, message: string): GraphQLError {
  return codedError(ERROR_CODES.BAD_USER_INPUT, `${argumentName}: ${message}`, { argumentName });
}

/**
 * The data changed while an answer was computed (an import or a write committed between its reads):
 * the answer could mix two versions, so it is refused, SERVICE_UNAVAILABLE, and a retry answers at the
 * new version.
 */
export function dataChanged(before: string, after: string): GraphQLError {
  return codedError(
    ERROR_CODES.SERVICE_UNAVAILABLE,
    `The data changed while this answer was computed (version ${before} -> ${after}); ask again.`,
    { reason: "DATA_CHANGED" },
  );
}
