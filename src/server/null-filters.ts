import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLArgument,
  GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
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

/** A field of an operation that takes a `where` filter object: where its filter is read per request. */
interface FilterSite {
  node: FieldNode;
  field: GraphQLField<unknown, unknown>;
  where: GraphQLArgument;
}

/**
 * What an operation's null-filter check needs, worked out once per parsed operation (Apollo hands the
 * same parsed document for the same text): the fields that take a `where` filter, and whether any of
 * the operation's variables can bring a filter object or list at all. A variable of a scalar or enum
 * type (`$id: ID!`) can only fill a scalar position, never a filter, so when no variable has an input
 * object type the verdict depends on the document alone and is decided once.
 */
interface FilterPlan {
  sites: FilterSite[];
  variablesMatter: boolean;
  /** The verdict of a plan whose variables do not matter, once known (null: no null filter). */
  verdict?: string | null;
}

function filterPlan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) {
  const sites: FilterSite[] = [];
  const typeInfo = new TypeInfo(schema);
  // Fragments may be spread into the operation: every field of the document with a filter is a site;
  // one outside the operation only costs a look at an argument the operation never executes.
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        const where = field?.args.find((argument) => argument.name === "where");
        if (field && where && isInputObjectType(getNamedType(where.type))) sites.push({ node, field, where });
      },
    }),
  );
  const variablesMatter = (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type);
    return !type || isInputObjectType(getNamedType(type));
  });
  return { sites, variablesMatter };
}

/** The first null filter of the plan's sites with these (coerced) variables, as a path. */
function firstNullFilter(plan: FilterPlan, variables: Record<string, unknown>): string | undefined {
  for (const { node, field, where } of plan.sites) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      continue; // an invalid argument is execution's error to report
    }
    // `where: null` is no filter at all, which @neo4j/graphql reads as such.
    if (args.where === null || args.where === undefined) continue;
    const found = nullFilterPath(args.where, where.type, `${node.alias?.value ?? node.name.value}(where)`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses, as 400 BAD_USER_INPUT naming the path, a null where a `where` filter expects an object or a
 * list: @neo4j/graphql 7 crashes on it ("Cannot convert undefined or null to object", an internal
 * error). To match a missing value, a client writes the operator: `{ startDate: { eq: null } }`.
 * The fields with a filter are found once per parsed operation; a request whose variables cannot hold a
 * filter gets the operation's verdict without a walk; others read only those fields' arguments.
 */
export function nullFiltersPlugin(): ApolloServerPlugin {
  // A document without a `where` argument has no filter to check: decided once per parsed document.
  const plans = new WeakMap<OperationDefinitionNode, FilterPlan | null>();
  const planOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    let plan = plans.get(operation);
    if (plan === undefined) {
      const found = filterPlan(schema, document, operation);
      plan = found.sites.length ? found : null;
      plans.set(operation, plan);
    }
    return plan;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, operation, schema, document }) {
          if (!operation) return;
          const plan = planOf(schema, document, operation);
          if (!plan || plan.verdict === null) return;
          let found = plan.verdict;
          if (found === undefined) {
            const coerced = coercedVariables(request, schema, operation);
            // Variables that do not coerce are refused by execution itself.
            if (coerced.errors) return;
            found = firstNullFilter(plan, coerced.coerced);
            if (!plan.variablesMatter) plan.verdict = found ?? null;
          }
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
