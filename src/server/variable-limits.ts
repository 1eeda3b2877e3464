import type { RequestHandler } from "express";
import {
  type DocumentNode,
  GraphQLError,
  getLocation,
  Kind,
  type OperationDefinitionNode,
  parse,
  valueFromASTUntyped,
  visit,
} from "graphql";
import { LRUCache } from "lru-cache";
import type { QueryLimits } from "../config/config.js";
import { ERROR_CODES } from "../util/error-codes.js";
import { contractOf } from "./request-contract.js";

/** A UTF-16 surrogate that is not half of a pair: not a character, so not text in any encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What text that is written may not hold: C0 controls other than tab, line feed and carriage return,
 * DEL and C1 controls (invisible in a name; XML 1.0 cannot hold most of them), and the noncharacters
 * U+FFFE and U+FFFF (XML 1.0 cannot hold them either): the exports would have to change the stored text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NOT_WRITABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/;

type VariableLimits = Pick<
  QueryLimits,
  "maxVariableDepth" | "maxVariableListLength" | "maxVariableValues" | "maxVariableObjectFields"
>;

/** How a text is checked: lone surrogates always; with `writes` (a mutation's input), NOT_WRITABLE too. */
function textFault(text: string, writes: boolean): string | undefined {
  if (LONE_SURROGATE.test(text)) return "invalid Unicode (a lone UTF-16 surrogate)";
  if (!writes) return undefined;
  const found = NOT_WRITABLE.exec(text)?.[0];
  if (found === undefined) return undefined;
  const code = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return found >= "\ufffe"
    ? `invalid text (${code}, a noncharacter); a mutation's text may not hold it`
    : `invalid text (${code}, a control character); a mutation's text may hold tab, line feed and carriage return, no other control character`;
}

/** `variables.where.AND[0].id`: the path of a value as a client wrote it. */
const keyPath = (at: string, key: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;

/** A value of the walk: its parent and key, from which its path is spelled when it is refused. */
interface Frame {
  value: unknown;
  parent?: Frame;
  key: string | number;
  depth: number;
}

/** `variables.where.AND[0].id`: the path of a walked value as a client wrote it. */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) keys.push(at.key);
  let path = "variables";
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i]!;
    path = typeof key === "number" ? `${path}[${key}]` : keyPath(path, key);
  }
  return path;
}

function refusal(path: string, reason: string, limit?: { name: string; value: number }): GraphQLError {
  return new GraphQLError(`${path}: ${reason}`, {
    extensions: {
      code: ERROR_CODES.BAD_USER_INPUT,
      variablePath: path,
      ...(limit ? { limit: limit.name, value: limit.value } : {}),
    },
  });
}

/**
 * The first problem of a request's `variables` (parsed JSON), or undefined: nesting deeper than
 * maxVariableDepth, a list longer than maxVariableListLength, an object of more than
 * maxVariableObjectFields fields, more than maxVariableValues values in all,
 * or text (a value or a key) with a lone surrogate, or, with `writes` (the variables of a mutation), with
 * a control character other than tab, line feed and carriage return, or U+FFFE or U+FFFF; `what` is
 * added to each message. The walk is iterative and stops at the first problem,
 * so its work is bounded by the limits whatever the input: graphql-js coerces variables recursively
 * (2,000 levels overflowed the stack, graphql-js#4031) and reports every error of a long list (20,000
 * errors blocked the process for seconds, graphql-js#1753).
 */
export function variablesProblem(
  variables: unknown,
  limits: VariableLimits,
  options: { writes?: boolean; what?: string } = {},
): GraphQLError | undefined {
  const writes = options.writes ?? false;
  const what = options.what ?? "";
  const stack: Frame[] = [{ value: variables, key: "variables", depth: 0 }];
  let values = 0;
  while (stack.length) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    // Paths are spelled out only for a refusal: building one per value was most of the walk's time.
    const path = () => pathOf(frame);
    values += 1;
    if (values > limits.maxVariableValues) {
      return refusal(path(), `the variables hold more than ${limits.maxVariableValues} values${what}`, {
        name: "maxVariableValues",
        value: limits.maxVariableValues,
      });
    }
    if (typeof value === "string") {
      const fault = textFault(value, writes);
      if (fault) return refusal(path(), `${fault}${what}`);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    // The top-level object is the variables map itself, not a nesting level of any one variable.
    if (depth > limits.maxVariableDepth) {
      return refusal(path(), `nested deeper than ${limits.maxVariableDepth} levels${what}`, {
        name: "maxVariableDepth",
        value: limits.maxVariableDepth,
      });
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxVariableListLength) {
        return refusal(
          path(),
          `a list of ${value.length} items; at most ${limits.maxVariableListLength} are allowed${what}`,
          {
            name: "maxVariableListLength",
            value: limits.maxVariableListLength,
          },
        );
      }
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], parent: frame, key: i, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value);
    // One object of 30,000 unknown fields cost every later walk (coercion, the date and filter checks)
    // 30,000 steps; no input type of the schema is a hundredth as wide.
    if (entries.length > limits.maxVariableObjectFields) {
      return refusal(
        path(),
        `an object of ${entries.length} fields; at most ${limits.maxVariableObjectFields} are allowed${what}`,
        { name: "maxVariableObjectFields", value: limits.maxVariableObjectFields },
      );
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      const fault = textFault(key, writes);
      const child: Frame = { value: inner, parent: frame, key, depth: depth + 1 };
      if (fault) return refusal(pathOf(child), `${fault.replace(/^invalid \w+/, "$& in a key")}${what}`);
      stack.push(child);
    }
  }
  return undefined;
}

/** The variables of a /graphql request: the JSON body's `variables` (POST) or the `variables` query parameter (GET). */
function variablesOf(body: unknown, query: Record<string, unknown>): unknown {
  if (body && typeof body === "object" && !Array.isArray(body))
    return (body as { variables?: unknown }).variables;
  if (typeof query.variables === "string") {
    try {
      return JSON.parse(query.variables);
    } catch {
      return undefined; // not JSON: Apollo answers it with its own 400
    }
  }
  return undefined;
}

/** What the checks need of one operation of a document. */
interface OperationFacts {
  /** A mutation: its text is written, so the stricter text rule applies. */
  writes: boolean;
  /** The operation's variables' default values, as JSON values. */
  defaults: [name: string, value: unknown][];
  /** The first string literal of the document that a mutation may not hold, located. */
  literalFault?: GraphQLError;
}

/** The first string literal of `document` that breaks the text rule for writes, as a refusal naming its place. */
function literalFault(document: DocumentNode): GraphQLError | undefined {
  let found: GraphQLError | undefined;
  visit(document, {
    StringValue(node) {
      if (found) return false;
      const fault = textFault(node.value, true);
      if (!fault || !node.loc) return undefined;
      const { line, column } = getLocation(node.loc.source, node.loc.start);
      found = new GraphQLError(`document, line ${line}, column ${column}: ${fault}`, {
        extensions: { code: ERROR_CODES.BAD_USER_INPUT },
      });
      return false;
    },
  });
  return found;
}

/** Each operation of the document by name (`undefined` for an anonymous one), or undefined when it does not parse. */
function documentFacts(text: string, maxTokens: number): Map<string | undefined, OperationFacts> | undefined {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens });
  } catch {
    return undefined; // Apollo answers the parse error itself
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const literal = operations.some((o) => o.operation === "mutation") ? literalFault(document) : undefined;
  return new Map(
    operations.map((operation) => [
      operation.name?.value,
      {
        writes: operation.operation === "mutation",
        defaults: (operation.variableDefinitions ?? [])
          .filter((d) => d.defaultValue)
          .map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)]),
        literalFault: operation.operation === "mutation" ? literal : undefined,
      },
    ]),
  );
}

/** The operation the request runs, as Apollo chooses it; undefined when it cannot be chosen (Apollo refuses it). */
function chosenOperation(
  facts: Map<string | undefined, OperationFacts>,
  operationName: unknown,
): OperationFacts | undefined {
  if (typeof operationName === "string") return facts.get(operationName);
  return facts.size === 1 ? [...facts.values()][0] : undefined;
}

/** The request's query text and operation name: the JSON body's (POST) or the query parameters (GET). */
function documentOf(body: unknown, query: Record<string, unknown>) {
  const source =
    body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : query;
  return {
    text: typeof source.query === "string" ? source.query : undefined,
    operationName: source.operationName,
  };
}

/**
 * The first problem of a request: its variables (variablesProblem, with the text rule of writes for a
 * mutation), then the default values of the variables it does not send, under the same limits and
 * rules and named by the same path (`variables.w.AND[0]`), then a mutation's string literals.
 */
function requestProblem(
  variables: unknown,
  operation: OperationFacts | undefined,
  limits: VariableLimits,
): GraphQLError | undefined {
  const writes = operation?.writes ?? false;
  const sent = variables && typeof variables === "object" && !Array.isArray(variables) ? variables : {};
  const problem = variablesProblem(variables, limits, { writes });
  if (problem || !operation) return problem;
  const defaults = Object.fromEntries(operation.defaults.filter(([name]) => !(name in sent)));
  if (Object.keys(defaults).length) {
    const inDefaults = variablesProblem(defaults, limits, {
      writes,
      what: " (the variable's default value)",
    });
    if (inDefaults) return inDefaults;
  }
  return operation.literalFault;
}

/**
 * Express middleware before Apollo on /graphql: refuses a request whose variables (sent, or their
 * default values in the document) break a limit or hold invalid text with 400 BAD_USER_INPUT naming the
 * variable's path (`variables.where.AND[0]`) and the limit, before any validation or coercion work that
 * grows with them. The document is parsed here under Apollo's token limit, once per query text (an LRU
 * of verdicts, as fieldMergeLimit keeps); a document that does not parse is left to Apollo.
 */
export function variableLimits(limits: VariableLimits & { maxTokens: number }): RequestHandler {
  const documents = new LRUCache<string, Map<string | undefined, OperationFacts> | "unparsed">({
    max: 1_000,
  });
  return (req, res, next) => {
    const { text, operationName } = documentOf(req.body, req.query as Record<string, unknown>);
    let facts: Map<string | undefined, OperationFacts> | "unparsed" | undefined;
    if (text !== undefined) {
      facts = documents.get(text);
      if (facts === undefined) {
        facts = documentFacts(text, limits.maxTokens) ?? "unparsed";
        documents.set(text, facts);
      }
    }
    const operation = facts && facts !== "unparsed" ? chosenOperation(facts, operationName) : undefined;
    const problem = requestProblem(
      variablesOf(req.body, req.query as Record<string, unknown>),
      operation,
      limits,
    );
    if (!problem) return next();
    contractOf(res).sendError(res, problem);
  };
}
