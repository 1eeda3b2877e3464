import type { GraphQLError } from "graphql";
import { codedError, ERROR_CODES } from "../util/error-codes.js";

/** Bad analysis input: a GraphQL error with code BAD_USER_INPUT naming the argument. */
export function badInput(argumentName: string, message: string): GraphQLError {
  return codedError(ERROR_CODES.BAD_USER_INPUT, `${argumentName}: ${message}`, { argumentName });
}
