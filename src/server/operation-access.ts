import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContract } from "./request-contract.js";

/**
 * Once Apollo knows the operation: a mutation must be allowed to write (reads were checked at the door
 * of /graphql by its route rule). Refused before anything runs, with 401 or 403 and no data. This is
 * the one check for writes: @neo4j/graphql's schema rule (build-schema.ts) stays as a second line.
 */
export function operationAccessPlugin(): ApolloServerPlugin<{ contract: RequestContract }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          contextValue.contract.authorize(operation?.operation === "query" ? "read" : "write");
        },
      };
    },
  };
}
