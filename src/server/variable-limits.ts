import type { RequestHandler } from "express";
import { GraphQLError } from "graphql";
import type { QueryLimits } from "../config/config.js";
import { ERROR_CODES } from "../util/error-codes.js";
import { contractOf } from "./request-contract.js";

/** A UTF-16 surrogate that is not half of a pair: not a character, so not text in any encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type VariableLimits = Pick<QueryLimits, "maxVariableDepth" | "maxVariableListLength" | "maxVariableValues">;

/** `variables.where.AND[0].id`: the path of a value as a client wrote it. */
const keyPath = (at: string, key: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;

function refusal(path: string, reason: string, limit?: { name: string; value: number }): GraphQLError {
  return new GraphQLError(`${path}: ${reason}`, {
    extensions: {
      code: ERROR_CODES.BAD_USER_INPUT,
      variablePath: path,
      ...(limit ? { limit: limit.name, value: limit.value } : {}),
    },
  });
}

/**
 * The first problem of a request's `variables` (parsed JSON), or undefined: nesting deeper than
 * maxVariableDepth, a list longer than maxVariableListLength, more than maxVariableValues values in all,
 * or text (a value or a key) with a lone surrogate. The walk is iterative and stops at the first problem,
 * so its work is bounded by the limits whatever the input: graphql-js coerces variables recursively
 * (2,000 levels overflowed the stack, graphql-js#4031) and reports every error of a long list (20,000
 * errors blocked the process for seconds, graphql-js#1753).
 */
export function variablesProblem(variables: unknown, limits: VariableLimits): GraphQLError | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: variables, path: "variables", depth: 0 },
  ];
  let values = 0;
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    values += 1;
    if (values > limits.maxVariableValues) {
      return refusal(path, `the variables hold more than ${limits.maxVariableValues} values`, {
        name: "maxVariableValues",
        value: limits.maxVariableValues,
      });
    }
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) return refusal(path, "invalid Unicode (a lone UTF-16 surrogate)");
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    // The top-level object is the variables map itself, not a nesting level of any one variable.
    if (depth > limits.maxVariableDepth) {
      return refusal(path, `nested deeper than ${limits.maxVariableDepth} levels`, {
        name: "maxVariableDepth",
        value: limits.maxVariableDepth,
      });
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxVariableListLength) {
        return refusal(
          path,
          `a list of ${value.length} items; at most ${limits.maxVariableListLength} are allowed`,
          {
            name: "maxVariableListLength",
            value: limits.maxVariableListLength,
          },
        );
      }
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      if (LONE_SURROGATE.test(key))
        return refusal(keyPath(path, key), "invalid Unicode in a key (a lone UTF-16 surrogate)");
      stack.push({ value: inner, path: keyPath(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

/** The variables of a /graphql request: the JSON body's `variables` (POST) or the `variables` query parameter (GET). */
function variablesOf(body: unknown, query: Record<string, unknown>): unknown {
  if (body && typeof body === "object" && !Array.isArray(body))
    return (body as { variables?: unknown }).variables;
  if (typeof query.variables === "string") {
    try {
      return JSON.parse(query.variables);
    } catch {
      return undefined; // not JSON: Apollo answers it with its own 400
    }
  }
  return undefined;
}

/**
 * Express middleware before Apollo on /graphql: refuses a request whose variables break a limit or hold
 * invalid Unicode with 400 BAD_USER_INPUT naming the variable's path (`variables.where.AND[0]`) and the
 * limit, before any parsing, validation or coercion work that grows with them.
 */
export function variableLimits(limits: VariableLimits): RequestHandler {
  return (req, res, next) => {
    const problem = variablesProblem(variablesOf(req.body, req.query as Record<string, unknown>), limits);
    if (!problem) return next();
    contractOf(res).sendError(res, problem);
  };
}
