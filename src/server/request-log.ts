import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { ERROR_CODES } from "../util/error-codes.js";
import type { Logger } from "../util/logger.js";
import { requestTiming } from "./database-timing.js";
import { contractOf } from "./request-contract.js";

export interface RequestLogState {
  requestId: string;
  timing: { dbMs: number };
}

/**
 * One structured line per GraphQL request: id, operation, duration, database time, status and the
 * error codes the client was answered (after formatting). Errors answered INTERNAL_SERVER_ERROR are
 * logged with their stack: they are bugs, and the client sees only "Unexpected error.".
 */
export function requestLogPlugin(log: Logger): ApolloServerPlugin<{ log: RequestLogState }> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const answered =
            response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : (errors ?? []);
          const codes = [
            ...new Set(answered.map((e) => String(e.extensions?.code ?? ERROR_CODES.INTERNAL_SERVER_ERROR))),
          ];
          // Formatting keeps the order of the errors: the i-th answered is the i-th raised.
          (errors ?? []).forEach((error, i) => {
            if (answered[i]?.extensions?.code !== ERROR_CODES.INTERNAL_SERVER_ERROR) return;
            log.error(
              { requestId: contextValue.log.requestId, err: error.originalError ?? error },
              "unexpected error",
            );
          });
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

/**
 * The same line for a data route beside /graphql (the export route), written when the answer is sent:
 * id, method and path, duration, database time, status and the error code if any.
 */
export function httpRequestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const contract = contractOf(res);
    res.once("finish", () => {
      const code = res.locals.errorCode as string | undefined;
      log.info(
        {
          requestId: contract.requestId,
          method: req.method,
          path: req.path,
          durationMs: Math.round(performance.now() - started),
          dbMs: Math.round(contract.timing.dbMs),
          status: res.statusCode,
          ...(code ? { errorCodes: [code] } : {}),
        },
        "http request",
      );
    });
    next();
  };
}

export { requestTiming };
