import type { Response } from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ERROR_CODES, HTTP_STATUS, isErrorCode } from "../util/error-codes.js";
import type { Logger } from "../util/logger.js";

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** Answers one error on a route that is not /graphql; the request id joins the log line to the answer. */
export type ErrorResponder = (res: Response, error: unknown, requestId: string) => void;

/**
 * Errors of the HTTP routes beside /graphql (export, refusals, bad bodies) in the GraphQL error shape,
 * `{ "errors": [{ "message", "extensions": { "code", ... } }] }`, formatted by the same formatter as
 * GraphQL answers (so a timeout is QUERY_TIMEOUT and a lost database SERVICE_UNAVAILABLE on every route),
 * with the HTTP status of the code (error-codes.ts). What the formatter does not recognise is answered
 * INTERNAL_SERVER_ERROR (500) and logged with its stack: it is a bug, not the database.
 */
export function errorResponder(options: { format: ErrorFormatter; log: Logger }): ErrorResponder {
  return (res, error, requestId) => {
    const raw: GraphQLFormattedError =
      error instanceof GraphQLError
        ? error.toJSON()
        : { message: (error as Error)?.message ?? String(error), extensions: {} };
    const formatted = options.format(raw, error);
    const { http: _http, ...extensions } = formatted.extensions ?? {};
    const code = isErrorCode(extensions.code) ? extensions.code : ERROR_CODES.INTERNAL_SERVER_ERROR;
    if (code === ERROR_CODES.INTERNAL_SERVER_ERROR) {
      options.log.error({ err: error, requestId }, "unexpected error");
    }
    res.locals.errorCode = code;
    res.status(HTTP_STATUS[code]).json({
      errors: [{ message: formatted.message, extensions: { ...extensions, code } }],
    });
  };
}
