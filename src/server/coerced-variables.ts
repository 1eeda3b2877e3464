import { type ApolloServerPlugin, type BaseContext, HeaderMap } from "@apollo/server";
import type { GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { coerceVariables } from "./variable-coercion.js";

type Coerced = ReturnType<typeof coerceVariables>;

/** One coercion per request object and operation: the checks that read variables share it. */
const memo = new WeakMap<object, WeakMap<OperationDefinitionNode, Coerced>>();

/**
 * The request's variables coerced as execution will see them (defaults applied; errors capped at 50 as
 * execution caps them, each quoting a bounded part of its value: variable-coercion.ts). The page-size,
 * null-filter and mutation-filter checks each need them: computed once per `request` (the Apollo
 * GraphQLRequest, the same object in every plugin hook of one request) and operation.
 */
export function coercedVariables(
  request: { variables?: Record<string, unknown> | undefined },
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): Coerced {
  let byOperation = memo.get(request);
  if (!byOperation) {
    byOperation = new WeakMap();
    memo.set(request, byOperation);
  }
  let coerced = byOperation.get(operation);
  if (!coerced) {
    coerced = coerceVariables(schema, operation.variableDefinitions ?? [], request.variables ?? {});
    byOperation.set(operation, coerced);
  }
  return coerced;
}

/**
 * Answers a request whose variables do not coerce with this server's bounded errors (HTTP 400,
 * BAD_USER_INPUT, each formatted by `formatError`), before execution: execution would coerce them again
 * with graphql-js's getVariableValues, whose messages quote the whole invalid value in every error
 * (quadratic in a wide object: 30,000 unknown fields held the event loop for 6-9 s). It answers from
 * `responseForOperation` rather than throwing, so that every error (up to the cap) is listed, as
 * execution lists them; it must come before any plugin that answers from memory.
 */
export function variableCoercionPlugin<Context extends BaseContext>(
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, request, schema }) {
          if (!operation?.variableDefinitions?.length) return null;
          const { errors } = coercedVariables(request, schema, operation);
          if (!errors) return null;
          return {
            http: { status: 400, headers: new HeaderMap() },
            body: { kind: "single", singleResult: { errors: errors.map((e) => formatError(e.toJSON(), e)) } },
          };
        },
      };
    },
  };
}
