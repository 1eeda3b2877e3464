import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type ValueNode, valueFromASTUntyped, visit } from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";
import { coercedVariables } from "./coerced-variables.js";

/** The first key ending in "Aggregate" anywhere in a filter value, as a dotted path; undefined if none. */
function aggregateFilterPath(value: unknown, at: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = aggregateFilterPath(item, `${at}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key.endsWith("Aggregate")) return `${at}.${key}`;
      const found = aggregateFilterPath(inner, `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses, as BAD_USER_INPUT, an aggregation filter (`where: { bodiesAggregate: ... }`) on a field inside
 * a mutation's selection: @neo4j/graphql 7 translates it into Cypher that Neo4j rejects ("Variable
 * `create_var4` not defined"; upstream neo4j/graphql#2708 is the same kind), which reached clients as
 * an internal error. The same filter in a query works. Found by the fuzz test (issue 12).
 */
export function unsupportedFiltersPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, operation, schema }) {
          if (operation?.operation !== "mutation") return;
          // Coerced as execution will see them, defaults included; variables that do not coerce are
          // refused by execution itself.
          const coerced = coercedVariables(request, schema, operation);
          if (coerced.errors) return;
          const variables = coerced.coerced;
          const path: string[] = [];
          visit(operation, {
            Field: {
              enter(field) {
                path.push(field.alias?.value ?? field.name.value);
                if (path.length < 2) return; // the mutation field itself: its filters work
                const where = field.arguments?.find((argument) => argument.name.value === "where");
                if (!where) return;
                const found = aggregateFilterPath(argumentValueOf(where.value, variables), "where");
                if (found) {
                  throw new GraphQLError(
                    `${path.join(".")}(${found}): an aggregation filter is not supported inside a mutation's selection; read it with a query after the mutation`,
                    {
                      extensions: {
                        code: ERROR_CODES.BAD_USER_INPUT,
                        argumentName: "where",
                        http: { status: 400 },
                      },
                    },
                  );
                }
              },
              leave() {
                path.pop();
              },
            },
          });
        },
      };
    },
  };
}

function argumentValueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  return node.kind === Kind.VARIABLE ? variables[node.name.value] : valueFromASTUntyped(node, variables);
}
