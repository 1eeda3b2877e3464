import type { ApolloServerPlugin } from "@apollo/server";
import { ERROR_CODES } from "../util/error-codes.js";

/** Seconds a client should wait before asking again: a restart of the embedded Neo4j takes a few. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A GraphQL answer that holds no data and only SERVICE_UNAVAILABLE errors (the database is down or being
 * restarted, or the data changed during the answer) is sent with HTTP 503 and `Retry-After`, as the
 * export and health routes are, so that proxies, load balancers and retrying clients see what JSON
 * readers see. Answers with any data keep Apollo's status (a partial answer is still an answer).
 */
export function unavailableStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const { data, errors } = response.body.singleResult;
          if (data != null || !errors?.length) return;
          if (!errors.every((error) => error.extensions?.code === ERROR_CODES.SERVICE_UNAVAILABLE)) return;
          response.http.status = 503;
          response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}
