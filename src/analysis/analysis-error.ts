import { GraphQLError } from "graphql";

/** Bad analysis input: a GraphQL error with code BAD_USER_INPUT naming the argument. */
export function badInput(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(`${argumentName}: ${message}`, {
    extensions: { code: "BAD_USER_INPUT", argumentName },
  });
}
