import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { QueryLimits } from "../config/config.js";
import { analysisResolvers } from "../graphql/analysis-resolvers.js";
import { ERROR_CODES } from "../util/error-codes.js";
import { coercedVariables } from "./coerced-variables.js";

const PAGE_ARGUMENTS = new Set(["limit", "first"]);
// The analysis queries bound their own `limit` (edges of a network, rows of an export, entities listed),
// each as its schema description says; a page size is for the generated queries' pages. Read from the
// resolvers, so that a new analysis query is not refused as a page by a list kept here.
const ANALYSIS_FIELDS = new Set(Object.keys(analysisResolvers().Query));

/** The operation and the fragments it uses, directly or through other fragments. */
function reachableDefinitions(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): (OperationDefinitionNode | FragmentDefinitionNode)[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const reached: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const seen = new Set<string>();
  for (let i = 0; i < reached.length; i++) {
    visit(reached[i]!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          reached.push(fragment);
        }
      },
    });
  }
  return reached;
}

/**
 * A refused page argument: `value` is the value given, or, where a limit refuses it (`maximum`), the
 * limit's name and value with the size asked as `count`, as every limit's error names itself.
 */
function pageError(
  argumentName: string,
  message: string,
  value: number,
  maximum?: { limit: string; value: number },
): GraphQLError {
  return new GraphQLError(`${argumentName}: ${message}`, {
    extensions: {
      code: ERROR_CODES.BAD_USER_INPUT,
      argumentName,
      ...(maximum ? { limit: maximum.limit, value: maximum.value, count: value } : { value }),
      // Thrown from a plugin hook: without a status Apollo would answer 500.
      http: { status: 400 },
    },
  });
}

/**
 * The first page argument (limit, first, offset) of the operation that breaks the page rules, as an
 * error, or undefined. Values are read as execution will see them (graphql's own coercion of literals,
 * variables and variables' default values, in fields and in the fragments the operation uses), so the
 * rules hold however a value arrives.
 */
export function pageArgumentError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  request: { variables?: Record<string, unknown> | undefined },
  maxPageSize: number,
): GraphQLError | undefined {
  const coerced = coercedVariables(request, schema, operation);
  // Variables that do not coerce are refused by execution itself, with graphql's message.
  if (coerced.errors) return undefined;
  const typeInfo = new TypeInfo(schema);
  let found: GraphQLError | undefined;
  for (const definition of reachableDefinitions(document, operation)) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          if (found || !field) return;
          if (typeInfo.getParentType()?.name === "Query" && ANALYSIS_FIELDS.has(field.name)) return;
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(field, node, coerced.coerced);
          } catch {
            return; // an invalid argument is execution's error to report
          }
          for (const [name, value] of Object.entries(args)) {
            if (typeof value !== "number") continue;
            if (PAGE_ARGUMENTS.has(name) && value > maxPageSize)
              found = pageError(
                name,
                `a page holds at most ${maxPageSize} items, ${value} were asked for (page through with cursors)`,
                value,
                { limit: "maxPageSize", value: maxPageSize },
              );
            else if ((name === "first" || name === "offset") && value < 0)
              found = pageError(name, `must be 0 or more, ${value} was given`, value);
            // @neo4j/graphql reads `limit: 0` as "no limit": it would return every item.
            else if (name === "limit" && value < 1)
              found = pageError(name, `a page holds at least 1 item, ${value} was asked for`, value);
            if (found) return;
          }
        },
      }),
    );
  }
  return found;
}

/**
 * Refuses a page larger than the maximum instead of silently cutting it (as @limit would), so that a
 * client never mistakes a truncated page for the whole answer.
 */
function pageSizePlugin(maxPageSize: number): ApolloServerPlugin {
  // A document without an argument named as a page argument has no page to check: decided once per
  // parsed document (Apollo reuses it for the same query text), so such requests skip the walk.
  const hasPageArguments = new WeakMap<DocumentNode, boolean>();
  const mayPage = (document: DocumentNode) => {
    let known = hasPageArguments.get(document);
    if (known === undefined) {
      known = false;
      visit(document, {
        Argument(node) {
          if (PAGE_ARGUMENTS.has(node.name.value) || node.name.value === "offset") known = true;
        },
      });
      hasPageArguments.set(document, known);
    }
    return known;
  };
  // Page arguments are Int: an operation with no Int variable has its page values written in the
  // document (literals and defaults), so once it has passed, it passes for every request. One that
  // failed is checked again each time (and fails again).
  const passed = new WeakMap<OperationDefinitionNode, true>();
  const intVariables = (operation: OperationDefinitionNode) =>
    (operation.variableDefinitions ?? []).some((definition) => {
      let type = definition.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      return type.name.value === "Int";
    });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation || passed.has(operation) || !mayPage(document)) return;
          const error = pageArgumentError(schema, document, operation, request, maxPageSize);
          if (error) throw error;
          // Variables that did not coerce skipped the check (execution refuses them): no verdict then.
          if (!intVariables(operation) && !coercedVariables(request, schema, operation).errors)
            passed.set(operation, true);
        },
      };
    },
  };
}

/**
 * Depth, cost, aliases and directives (GraphQL Armor), tokens (graphql-js's parser) and page sizes.
 * Each refusal names the limit; the limits are configuration (ATLAS_MAX_*).
 */
export function queryLimits(limits: QueryLimits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true },
    // Armor lets aliases of __typename through by default (graphql-armor#738): 1,600 of them were
    // answered under a limit of 15. Every alias counts.
    maxAliases: { n: limits.maxAliases, exposeLimits: true, allowList: [] },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Armor's token limit throws from inside the parser as a validation error, which Apollo answers
    // with HTTP 500; graphql-js's own `maxTokens` parse option is a syntax error: 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    costLimit: { maxCost: limits.maxCost, exposeLimits: true },
    // Suggestions are hidden by Apollo (hideSchemaDetailsFromClientErrors) and the error formatter.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    plugins: [...(protection.plugins as unknown as ApolloServerPlugin[]), pageSizePlugin(limits.maxPageSize)],
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
