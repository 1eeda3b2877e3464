import { randomUUID } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "../util/logger.js";
import { requestTiming } from "./database-timing.js";

export interface RequestLogContext {
  requestId: string;
  timing: { dbMs: number };
}

export const newRequestLogContext = (header: string | string[] | undefined): RequestLogContext => ({
  // A caller's id is kept (short and printable only) so that logs join across services.
  requestId: typeof header === "string" && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID(),
  timing: { dbMs: 0 },
});

/** One structured line per GraphQL request: id, operation, duration, database time, error codes. */
export function requestLogPlugin(log: Logger): ApolloServerPlugin<{ log: RequestLogContext }> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const codes = [
            ...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"))),
          ];
          log.info(
            {
              requestId: contextValue.log.requestId,
              operationName: operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              dbMs: Math.round(contextValue.log.timing.dbMs),
              status: response.http.status ?? 200,
              ...(codes.length ? { errorCodes: codes } : {}),
            },
            "graphql request",
          );
        },
      };
    },
  };
}

export { requestTiming };
