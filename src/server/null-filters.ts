import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";
import { coercedVariables } from "./coerced-variables.js";

/**
 * The first null given where a filter expects an object or a list of filters (`where: { startDate:
 * null }`, `where: { AND: [{ acronym: null }] }`, `where: { country: null }`), as a dotted path, or
 * undefined. A null operator value (`{ acronym: { eq: null } }`, `{ id: { in: null } }`) is left alone.
 */
export function nullFilterPath(value: unknown, type: GraphQLInputType, at: string): string | undefined {
  const nullable = getNullableType(type);
  // A null operator value, scalar or list of scalars (`{ in: null }`), is the library's to read; a null
  // filter object, or list of them (`AND: null`), crashes it.
  if (value === null) return isInputObjectType(getNamedType(nullable)) ? at : undefined;
  if (isListType(nullable) && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nullFilterPath(item, nullable.ofType, `${at}[${i}]`);
      if (found) return found;
    }
  } else if (isInputObjectType(nullable) && value && typeof value === "object") {
    const fields = nullable.getFields();
    for (const [key, inner] of Object.entries(value)) {
      const field = fields[key];
      if (!field) continue;
      const found = nullFilterPath(inner, field.type, `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses, as 400 BAD_USER_INPUT naming the path, a null where a `where` filter expects an object or a
 * list: @neo4j/graphql 7 crashes on it ("Cannot convert undefined or null to object", an internal
 * error). To match a missing value, a client writes the operator: `{ startDate: { eq: null } }`.
 */
export function nullFiltersPlugin(): ApolloServerPlugin {
  // A document without a `where` argument has no filter to check: decided once per parsed document.
  const hasWhere = new WeakMap<DocumentNode, boolean>();
  const mayFilter = (document: DocumentNode) => {
    let known = hasWhere.get(document);
    if (known === undefined) {
      known = false;
      visit(document, {
        Argument(node) {
          if (node.name.value === "where") known = true;
        },
      });
      hasWhere.set(document, known);
    }
    return known;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, operation, schema, document }) {
          if (!operation || !mayFilter(document)) return;
          const coerced = coercedVariables(request, schema, operation);
          // Variables that do not coerce are refused by execution itself.
          if (coerced.errors) return;
          const typeInfo = new TypeInfo(schema);
          let found: string | undefined;
          visit(
            document,
            visitWithTypeInfo(typeInfo, {
              Field(node) {
                const field = typeInfo.getFieldDef();
                if (found || !field) return;
                const where = field.args.find((argument) => argument.name === "where");
                if (!where || !isInputObjectType(getNamedType(where.type))) return;
                let args: Record<string, unknown>;
                try {
                  args = getArgumentValues(field, node, coerced.coerced);
                } catch {
                  return; // an invalid argument is execution's error to report
                }
                // `where: null` is no filter at all, which @neo4j/graphql reads as such.
                if (args.where === null || args.where === undefined) return;
                found = nullFilterPath(
                  args.where,
                  where.type,
                  `${node.alias?.value ?? node.name.value}(where)`,
                );
              },
            }),
          );
          if (found) {
            throw new GraphQLError(
              `${found}: null is not a filter; to match a missing value, name the operator (e.g. { eq: null }), or leave the field out`,
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
      };
    },
  };
}
