import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, Kind, type ValueNode, visit } from "graphql";
import type { QueryLimits } from "../config/config.js";
import { ERROR_CODES } from "../util/error-codes.js";
import { variablesWithDefaults } from "./unsupported-filters.js";

const PAGE_ARGUMENTS = new Set(["limit", "first"]);
/** Arguments that Neo4j turns into SKIP or LIMIT, where a negative value is a Cypher error. */
const NON_NEGATIVE_ARGUMENTS = new Set(["limit", "first", "offset"]);
const ANALYSIS_FIELDS = new Set(["collaborationNetwork", "networkMetrics", "export"]);

/** The value of an argument, literal or from a variable. */
function argumentValue(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/**
 * Refuses a page larger than the maximum instead of silently cutting it (as @limit would), so that a
 * client never mistakes a truncated page for the whole answer.
 */
function pageSizePlugin(maxPageSize: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation }) {
          // A variable the request leaves out takes its default: the limits must see that value too.
          const variables = operation ? variablesWithDefaults(operation, request.variables) : {};
          visit(document, {
            Field(field) {
              // The analysis queries bound their own `limit` (edges of a network, not a page).
              if (ANALYSIS_FIELDS.has(field.name.value)) return;
              for (const node of field.arguments ?? []) {
                if (!NON_NEGATIVE_ARGUMENTS.has(node.name.value)) continue;
                const value = argumentValue(node.value, variables);
                if (typeof value === "number" && value < 0) {
                  throw new GraphQLError(`${node.name.value}: must not be negative, got ${value}`, {
                    extensions: {
                      code: ERROR_CODES.BAD_USER_INPUT,
                      argumentName: node.name.value,
                      value,
                      http: { status: 400 },
                    },
                  });
                }
                if (!PAGE_ARGUMENTS.has(node.name.value)) continue;
                if (typeof value === "number" && value > maxPageSize) {
                  throw new GraphQLError(
                    `${node.name.value}: a page holds at most ${maxPageSize} items, ${value} were asked for (page through with cursors)`,
                    {
                      extensions: {
                        code: ERROR_CODES.BAD_USER_INPUT,
                        argumentName: node.name.value,
                        limit: "maxPageSize",
                        value,
                        // Thrown from a plugin hook: without a status Apollo would answer 500.
                        http: { status: 400 },
                      },
                    },
                  );
                }
              }
            },
          });
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
