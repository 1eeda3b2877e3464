import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { isCalendarDate } from "../util/calendar-date.js";
import { ERROR_CODES } from "../util/error-codes.js";

/**
 * ISO 8601 date-time as the API documents it: a real calendar date, hours 00-23, minutes and seconds
 * 00-59, an optional fraction, and `Z` or an offset (or none).
 */
function isDateTime(text: string): boolean {
  const match =
    /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/.exec(
      text,
    );
  return Boolean(match && isCalendarDate(match[1]!));
}

/** What each temporal scalar must look like; its library parser rolls impossible values over instead. */
const STRICT: Record<string, { check: (text: string) => boolean; form: string }> = {
  Date: { check: isCalendarDate, form: "a calendar date written YYYY-MM-DD" },
  DateTime: { check: isDateTime, form: "an ISO 8601 date-time with a calendar date and a time of day" },
};

/** The first value under `type` whose scalar has a strict form it does not meet, with its path. */
function firstImpossible(
  value: unknown,
  type: GraphQLInputType,
  at: string,
): { path: string; value: string; form: string } | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [i, item] of items.entries()) {
      const found = firstImpossible(item, nullable.ofType, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== "object") return undefined;
    const fields = nullable.getFields();
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (!field) continue;
      const found = firstImpossible(inner, field.type, `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  const named = getNamedType(nullable);
  const strict = isScalarType(named) ? STRICT[named.name] : undefined;
  // Other shapes (numbers, objects) are left to the scalar itself, which refuses them.
  if (strict && typeof value === "string" && !strict.check(value))
    return { path: at, value, form: strict.form };
  return undefined;
}

/** The request's variables with the operation's defaults for those it leaves out, as sent (uncoerced). */
function rawVariables(operation: OperationDefinitionNode, given: Record<string, unknown>) {
  const variables: Record<string, unknown> = { ...given };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!(name in variables) && definition.defaultValue)
      variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return variables;
}

/**
 * Throws BAD_USER_INPUT (HTTP 400) for the first Date or DateTime argument value, literal, variable or
 * default, at any depth of an input object, that is not a real calendar date or time of day
 * (2023-02-30, 2023-04-31, 2023-02-29, T24:00). @neo4j/graphql's scalars parse with `new Date()`, which
 * moves such values into the next month: a filter would silently match another day, and a write store it.
 * `argumentName` is the dotted path of the value inside its argument, e.g. `update.startDate.set`.
 */
export function checkTemporalArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  given: Record<string, unknown>,
): void {
  const variables = rawVariables(operation, given);
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        if (!argument) return;
        const found = firstImpossible(
          valueFromASTUntyped(node.value, variables),
          argument.type,
          node.name.value,
        );
        if (found) {
          throw new GraphQLError(
            `${field?.name ?? "?"}(${found.path}): "${found.value}" is not ${found.form}.`,
            {
              nodes: [node],
              extensions: {
                code: ERROR_CODES.BAD_USER_INPUT,
                argumentName: found.path,
                value: found.value,
                http: { status: 400 },
              },
            },
          );
        }
      },
    }),
  );
}

/** Whether a value of `type` can hold a strict scalar at any depth (input types may be recursive). */
function holdsStrict(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (isScalarType(named)) return named.name in STRICT;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => holdsStrict(field.type, seen));
}

/**
 * Whether some argument of the document can hold a Date or DateTime: when none can, no value of any
 * request with this document can be impossible, and the per-request walk is skipped.
 */
export function mayHoldTemporalArguments(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument() {
        const argument = typeInfo.getArgument();
        // An argument the schema does not know is validation's error; checking it costs nothing here.
        if (!argument || holdsStrict(argument.type)) found = true;
      },
    }),
  );
  return found;
}

/**
 * Whether the operation's variables can bring a Date or DateTime value: when none can (`$id: ID!`),
 * every value a temporal argument can hold is written in the document itself (literals, defaults
 * excluded since they belong to variables), so one check of the operation decides for every request.
 */
function variablesMayHoldTemporal(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type);
    return !type || holdsStrict(type as GraphQLInputType);
  });
}

/**
 * The Apollo plugin that runs `checkTemporalArguments` on every operation before it executes. Whether
 * a document can hold a temporal argument at all is decided once per document (Apollo hands the same
 * parsed document for the same query text): most requests, lookups and analyses, skip the walk (issue 19).
 * An operation whose variables cannot hold a temporal value passes or fails the same way for every
 * request: once it has passed, later requests skip the walk (one that fails is checked every time).
 */
export function strictTemporalArgumentsPlugin(): ApolloServerPlugin {
  const temporal = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, boolean>>();
  const passed = new WeakMap<OperationDefinitionNode, true>();
  const mayHold = (schema: GraphQLSchema, document: DocumentNode) => {
    let bySchema = temporal.get(schema);
    if (!bySchema) {
      bySchema = new WeakMap();
      temporal.set(schema, bySchema);
    }
    let known = bySchema.get(document);
    if (known === undefined) {
      known = mayHoldTemporalArguments(schema, document);
      bySchema.set(document, known);
    }
    return known;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, operation, document, schema }) {
          if (!operation || passed.has(operation) || !mayHold(schema, document)) return;
          checkTemporalArguments(schema, document, operation, request.variables ?? {});
          if (!variablesMayHoldTemporal(schema, operation)) passed.set(operation, true);
        },
      };
    },
  };
}
