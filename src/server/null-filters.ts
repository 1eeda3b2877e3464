import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLArgument,
  type GraphQLDirective,
  GraphQLError,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLInputType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";
import { coercedVariables } from "./coerced-variables.js";

/** A null in a filter that the server refuses: where it is, and whether it is an operator's value. */
export interface NullFilter {
  path: string;
  /** An operator other than `eq` given null (`{ startYear: { gte: null } }`), not a null filter object. */
  operator: boolean;
}

/**
 * The first null given where a filter expects an object or a list of filters (`where: { startDate:
 * null }`, `where: { AND: [{ acronym: null }] }`, `where: { country: null }`), or as the value of an
 * operator other than `eq` (`{ startYear: { gte: null } }`, `{ id: { in: null } }`), or undefined.
 * `{ acronym: { eq: null } }` matches a missing value, as @neo4j/graphql documents, and is left alone.
 */
export function nullFilterPath(
  value: unknown,
  type: GraphQLInputType,
  at: string,
  key?: string,
): NullFilter | undefined {
  const nullable = getNullableType(type);
  if (value === null) {
    // A null filter object, or list of them (`AND: null`), crashes @neo4j/graphql 7.
    if (isInputObjectType(getNamedType(nullable))) return { path: at, operator: false };
    // Any other operator given null is read as "the property is missing" (`gte: null` is IS NULL): a
    // client that sends an unset bound as null would get only the projects without the property.
    return key === undefined || key === "eq" ? undefined : { path: at, operator: true };
  }
  if (isListType(nullable) && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nullFilterPath(item, nullable.ofType, `${at}[${i}]`);
      if (found) return found;
    }
  } else if (isInputObjectType(nullable) && value && typeof value === "object") {
    const fields = nullable.getFields();
    for (const [name, inner] of Object.entries(value)) {
      const field = fields[name];
      if (!field) continue;
      const found = nullFilterPath(inner, field.type, `${at}.${name}`, name);
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
  /** The field and the selections around it in its definition that carry @skip or @include. */
  conditions: ConditionalNode[];
}

type ConditionalNode = Parameters<typeof getDirectiveValues>[1];

const CONDITIONAL_KINDS = new Set<string>([Kind.FIELD, Kind.INLINE_FRAGMENT, Kind.FRAGMENT_SPREAD]);

/** Whether a node with @skip/@include is left out with these variables (graphql-js's own rule). */
function excluded(node: ConditionalNode, variables: Record<string, unknown>): boolean {
  const value = (directive: GraphQLDirective) => getDirectiveValues(directive, node, variables)?.if;
  return value(GraphQLSkipDirective) === true || value(GraphQLIncludeDirective) === false;
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
  verdict?: NullFilter | null;
}

function filterPlan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) {
  const sites: FilterSite[] = [];
  const typeInfo = new TypeInfo(schema);
  // Fragments may be spread into the operation: every field of the document with a filter is a site;
  // one outside the operation only costs a look at an argument the operation never executes.
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node, _key, _parent, _path, ancestors) {
        const field = typeInfo.getFieldDef();
        const where = field?.args.find((argument) => argument.name === "where");
        if (!field || !where || !isInputObjectType(getNamedType(where.type))) return;
        // A field left out by @skip/@include is not executed: its filter's nulls are not read.
        const conditions: ConditionalNode[] = [];
        for (const at of [...ancestors, node] as unknown[]) {
          const candidate = at as { kind?: string; directives?: readonly unknown[] };
          if (candidate.kind && CONDITIONAL_KINDS.has(candidate.kind) && candidate.directives?.length)
            conditions.push(at as ConditionalNode);
        }
        sites.push({ node, field, where, conditions });
      },
    }),
  );
  // A variable matters when it can bring a filter object or a null operator value: an input object
  // anywhere in its type, or a nullable type. A lookup's `$id: ID!` cannot.
  const variablesMatter = (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type);
    return !type || !isNonNullType(type) || isInputObjectType(getNamedType(type));
  });
  return { sites, variablesMatter };
}

/** The first null filter of the plan's executed sites with these (coerced) variables. */
function firstNullFilter(plan: FilterPlan, variables: Record<string, unknown>): NullFilter | undefined {
  for (const { node, field, where, conditions } of plan.sites) {
    if (conditions.some((condition) => excluded(condition, variables))) continue;
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
 * error). To match a missing value, a client writes the operator: `{ startDate: { eq: null } }`. Refuses
 * null as the value of any other operator too (`gte`, `in`, `contains` ...): the library reads
 * `{ startYear: { gte: null } }` as IS NULL, so an unset bound sent as null silently selected only the
 * projects without a start year. Fields left out by @skip/@include are not read.
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
              found.operator
                ? `${found.path}: null is no bound; @neo4j/graphql would match only what has no value here (as eq: null does). Leave the operator out for no condition, or write { eq: null } to match a missing value`
                : `${found.path}: null is not a filter; to match a missing value, name the operator (e.g. { eq: null }), or leave the field out`,
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
