import {
  coerceInputValue,
  GraphQLError,
  type GraphQLSchema,
  isInputType,
  isNonNullType,
  print,
  typeFromAST,
  type VariableDefinitionNode,
  valueFromAST,
} from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";

/** graphql-js's own cap on variable errors (execution sets it): the same cap, the same last error. */
export const MAX_VARIABLE_ERRORS = 50;

/** How much of an invalid value an error quotes: enough to recognise it, never the whole of a large one. */
const QUOTE_CHARS = 80;

/**
 * Each object's quote, made once: one object of 30,000 unknown fields is quoted in each of its 50 errors,
 * and even walking its first keys enumerates all of them (V8's for-in), 1.5 million steps in all.
 */
const quotes = new WeakMap<object, string>();

/**
 * A short, bounded rendering of a JSON value for an error message: strings cut at QUOTE_CHARS, lists and
 * objects as their first three items (each cut to a third of that) and how many there are.
 */
export function quoteValue(value: unknown, chars = QUOTE_CHARS): string {
  const cut = (text: string) => (text.length > chars ? `${text.slice(0, chars)}…` : text);
  if (typeof value === "string") return cut(JSON.stringify(value.slice(0, chars + 1)));
  const part = (inner: unknown) =>
    inner && typeof inner === "object"
      ? Array.isArray(inner)
        ? "[…]"
        : "{…}"
      : quoteValue(inner, chars / 3);
  if (Array.isArray(value)) {
    const more = value.length > 3 ? `, … (${value.length} items)` : "";
    return `[${value.slice(0, 3).map(part).join(", ")}${more}]`;
  }
  if (value && typeof value === "object") {
    const quoted = quotes.get(value);
    if (quoted !== undefined) return quoted;
    const shown: string[] = [];
    for (const key in value) {
      if (shown.length === 3) break;
      shown.push(`${cut(key)}: ${part((value as Record<string, unknown>)[key])}`);
    }
    const width = Object.keys(value).length;
    const more = width > 3 ? `, … (${width} fields)` : "";
    const quote = `{ ${shown.join(", ")}${more} }`;
    quotes.set(value, quote);
    return quote;
  }
  return cut(String(value));
}

/** `w.where.AND[3]`: a path of coerceInputValue as graphql-js prints it after the variable's name. */
const printPath = (path: readonly (string | number)[]) =>
  path.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`)).join("");

type Coercion =
  | { coerced: Record<string, unknown>; errors?: never }
  | { errors: GraphQLError[]; coerced?: never };

/**
 * The request's variables coerced by graphql-js's `coerceInputValue`, as execution coerces them (the
 * same rules, defaults and null handling as graphql-js's getVariableValues, which this mirrors), but with
 * error messages that quote at most QUOTE_CHARS characters of the invalid value and with no suggestions.
 * graphql-js quotes the whole invalid value in every error: an object of 30,000 unknown fields made 50
 * errors of 300 KB each and held the event loop for 6-9 s; here each error costs the size of its quote.
 * Stops after MAX_VARIABLE_ERRORS errors with graphql-js's own last message, which the error formatter
 * names as the limit `maxVariableErrors`. Errors carry BAD_USER_INPUT and, where a path is known,
 * `variablePath` ("variables.w.AND[3]") as the server's variable limits do.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Record<string, unknown>,
): Coercion {
  const errors: GraphQLError[] = [];
  const fail = (message: string, path?: string) => {
    if (errors.length >= MAX_VARIABLE_ERRORS)
      throw new GraphQLError("Too many errors processing variables, error limit reached. Execution aborted.");
    errors.push(
      new GraphQLError(message, {
        extensions: { code: ERROR_CODES.BAD_USER_INPUT, ...(path ? { variablePath: path } : {}) },
      }),
    );
  };
  const coerced: Record<string, unknown> = Object.create(null);
  try {
    for (const definition of definitions) {
      const name = definition.variable.name.value;
      const type = typeFromAST(schema, definition.type);
      if (!type || !isInputType(type)) {
        fail(
          `Variable "$${name}" expected value of type "${print(definition.type)}" which cannot be used as an input type.`,
        );
        continue;
      }
      if (!Object.hasOwn(inputs, name)) {
        if (definition.defaultValue) coerced[name] = valueFromAST(definition.defaultValue, type);
        else if (isNonNullType(type))
          fail(`Variable "$${name}" of required type "${String(type)}" was not provided.`);
        continue;
      }
      const value = inputs[name];
      if (value === null && isNonNullType(type)) {
        fail(`Variable "$${name}" of non-null type "${String(type)}" must not be null.`, `variables.${name}`);
        continue;
      }
      coerced[name] = coerceInputValue(
        value,
        type,
        (path, invalid, error) => {
          const at = path.length ? ` at "${name}${printPath(path)}"` : "";
          fail(
            `Variable "$${name}" got invalid value ${quoteValue(invalid)}${at}; ${error.message}`,
            `variables.${name}${printPath(path)}`,
          );
        },
        true,
      );
    }
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    errors.push(error);
  }
  return errors.length ? { errors } : { coerced };
}
