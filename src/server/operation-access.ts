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
          // No operation chosen (several in the document and no operationName, or an unknown name):
          // nothing runs and Apollo answers 400 OPERATION_RESOLUTION_FAILURE. Judging it as a write
          // told a reader "401/403: writing needs admin" for a document of queries.
          if (!operation) return;
          contextValue.contract.authorize(operation.operation === "query" ? "read" : "write");
        },
      };
    },
  };
}
