import type { GraphQLSchema, OperationDefinitionNode } from "graphql";
import { getVariableValues } from "graphql";

type Coerced = ReturnType<typeof getVariableValues>;

/** One coercion per request object and operation: the checks that read variables share it. */
const memo = new WeakMap<object, WeakMap<OperationDefinitionNode, Coerced>>();

/**
 * The request's variables coerced as execution will see them (defaults applied; errors capped at 50 as
 * execution caps them, since 20,000 errors of one long list blocked the process for seconds). The
 * page-size, null-filter and mutation-filter checks each need them: computed once per `request` (the
 * Apollo GraphQLRequest, the same object in every plugin hook of one request) and operation.
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
    coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
      maxErrors: 50,
    });
    byOperation.set(operation, coerced);
  }
  return coerced;
}
