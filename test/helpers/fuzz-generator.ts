import {
  astFromValue,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  print,
} from "graphql";
import { seededRandom } from "../../src/util/seeded-random.js";

/**
 * Values that have broken GraphQL APIs over Neo4j for others (public reports of neo4j/graphql, Lucene,
 * apollo-server): Lucene query syntax in search phrases, accents and other scripts, control characters,
 * impossible dates, integers at and beyond 32 bits, empty and blank strings, very long strings.
 */
export const AWKWARD = {
  ids: [
    "country:DE",
    "funder:isciii",
    "cordis:101137129",
    "consortium:era-permed",
    "consortium:icpermed",
    "topic:cancer",
    "org:999866495",
    "programme:horizon",
    // Ids of the OpenAIRE samples (test/fixtures/openaire) that the fuzz test imports, and a curated
    // funder they are SAME_AS: filters and lookups on national-funder data, not only on CORDIS.
    "funder:openaire:NIH",
    "funder:openaire:CIHR",
    "funder:cihr",
    "openaire:nih_________::031bb5f2f70239b3210eda38b2079f67",
    "x",
    "",
    " ",
    "'; DROP",
    "fx:P1",
    "country:\u0000",
  ],
  strings: [
    "",
    " ",
    "Carlos",
    // Values the newer filters and fields accept: a lens scheme, a relevance tier, currencies.
    "ATLAS",
    "CORE",
    "USD",
    "cancer",
    "Université",
    "Universite",
    "AI/ML",
    "/b testing",
    "(cancer",
    "cancer:",
    '"unbalanced',
    "a*",
    "*",
    "?",
    "-",
    "+",
    "AND",
    "OR NOT",
    "cancer~",
    "cancer^2",
    "[a TO",
    "{x}",
    "\\",
    "a && b || !c",
    "é€😀",
    "ØÆÅ ß İ",
    "\u0008back\u001b[31mspace",
    "tab\tnew\nline",
    "\u0000",
    "x".repeat(300),
  ],
  ints: [0, 1, 5, -1, 2024, 99999, 2147483647, -2147483648, 2147483648, 3000000000, -1e12],
  floats: [0, 1.5, -3, 1e12, -0.0, 1e308, 5e-324],
  dates: ["2024-01-01", "2023-02-30", "2023-04-31", "2024-13-45", "0000-00-00", "yesterday", ""],
} as const;

export interface GeneratedRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface FuzzOptions {
  /** Which root fields may be chosen (e.g. only search fields, or none of them). */
  rootFilter?: (field: GraphQLField<unknown, unknown>) => boolean;
  /** "query" or "mutation". */
  operation?: "query" | "mutation";
}

/**
 * A seeded generator of operations and variables over a schema (mulberry32: the same seed gives the same
 * requests). Variables are sometimes declared with a default value and left out of `variables`, because
 * a default arrives by another path through validation and limits than a sent value.
 */
export function fuzzGenerator(schema: GraphQLSchema, seed: number, options: FuzzOptions = {}) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const operation = options.operation ?? "query";
  const root = (
    operation === "query" ? schema.getQueryType() : schema.getMutationType()
  ) as GraphQLObjectType;
  const rootFields = Object.values(root.getFields()).filter((f) => options.rootFilter?.(f) ?? true);
  if (!rootFields.length) throw new Error("no root field passes the filter");

  const value = (type: GraphQLInputType, depth: number): unknown => {
    if (isNonNullType(type)) return value(type.ofType, depth);
    if (isListType(type))
      return Array.from({ length: Math.floor(random() * 3) }, () => value(type.ofType, depth + 1));
    if (isEnumType(type)) return pick(type.getValues()).value;
    if (isInputObjectType(type)) {
      if (depth > 2) return {};
      const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || random() < 0.2);
      return Object.fromEntries(fields.slice(0, 5).map((f) => [f.name, value(f.type, depth + 1)]));
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case "Int":
          return pick(AWKWARD.ints);
        case "Float":
          return pick(AWKWARD.floats);
        case "Boolean":
          return random() < 0.5;
        case "ID":
          return pick(AWKWARD.ids);
        case "Date":
        case "DateTime":
          return pick(AWKWARD.dates);
        default:
          return pick(AWKWARD.strings);
      }
    }
    return null;
  };

  interface Declared {
    type: GraphQLInputType;
    value: unknown;
    asDefault: boolean;
  }

  const selection = (type: GraphQLNamedType, depth: number, variables: Map<string, Declared>): string => {
    if (isUnionType(type)) return "{ __typename }";
    if (!isObjectType(type)) return "";
    const fields = Object.values(type.getFields());
    const chosen = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(fields));
    const parts = chosen.map((field) => {
      const named = getNamedType(field.type);
      const composite = isObjectType(named) || isUnionType(named);
      const inner = composite ? selection(named, depth + 1, variables) : "";
      if (composite && (depth >= 3 || !inner)) return "__typename";
      return `${field.name}${args(field, variables)} ${inner}`;
    });
    return `{ ${[...new Set(parts)].join(" ")} }`;
  };

  let variableCount = 0;
  const args = (field: GraphQLField<unknown, unknown>, variables: Map<string, Declared>): string => {
    const given = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) || random() < 0.4);
    if (!given.length) return "";
    return `(${given
      .map((a) => {
        const name = `v${variableCount++}`;
        variables.set(name, { type: a.type, value: value(a.type, 0), asDefault: random() < 0.25 });
        return `${a.name}: $${name}`;
      })
      .join(", ")})`;
  };

  return (): GeneratedRequest => {
    const declared = new Map<string, Declared>();
    const field = pick(rootFields);
    const named = getNamedType(field.type);
    const inner =
      isObjectType(named) || isUnionType(named) ? selection(named, 1, declared) || "{ __typename }" : "";
    const body = `{ ${field.name}${args(field, declared)} ${inner} }`;
    const declarations: string[] = [];
    const variables: Record<string, unknown> = {};
    for (const [name, { type, value: v, asDefault }] of declared) {
      // A default must be a valid literal of its type; where it cannot be one, the value is sent instead.
      const literal = asDefault && !isNonNullType(type) ? safeLiteral(v, type) : undefined;
      if (literal !== undefined) {
        declarations.push(`$${name}: ${type.toString()} = ${literal}`);
      } else {
        declarations.push(`$${name}: ${type.toString()}`);
        variables[name] = v;
      }
    }
    return {
      query: `${operation} Fuzz${declarations.length ? `(${declarations.join(", ")})` : ""} ${body}`,
      variables,
    };
  };
}

function safeLiteral(value: unknown, type: GraphQLInputType): string | undefined {
  try {
    const ast = astFromValue(value, type);
    return ast ? print(ast) : undefined;
  } catch {
    return undefined;
  }
}

/** Full-text search root fields (`searchProjects`, ...), which take a phrase to Lucene. */
export const isSearchField = (field: GraphQLField<unknown, unknown>) => /^search[A-Z]/.test(field.name);

/**
 * Makes a generated request's variables hostile in one of the ways public reports describe (graphql-js
 * #4031, #1753): an object variable nested hundreds of levels deep in AND lists, a list variable far
 * longer than any limit, list items and objects full of unknown fields, a lone surrogate in a string, a
 * null where a filter object goes. Seeded: the same seed gives the same requests.
 */
export function hostileVariables(next: () => GeneratedRequest, seed: number): () => GeneratedRequest {
  const random = seededRandom(seed);
  const lone = ["\uD800", "a\uDC00", "\uDBFFz", "x\uDFFF\uD800"];
  const first = <T>(variables: Record<string, unknown>, test: (value: unknown) => value is T) =>
    Object.entries(variables).find(([, value]) => test(value)) as [string, T] | undefined;
  const isObject = (value: unknown): value is Record<string, unknown> =>
    Boolean(value) && typeof value === "object" && !Array.isArray(value);
  return () => {
    const request = next();
    const variables = { ...request.variables };
    const mode = Math.floor(random() * 5);
    const object = first(variables, isObject);
    const list = first(variables, Array.isArray);
    const text = first(variables, (value): value is string => typeof value === "string");
    if (mode === 0 && object) {
      let nested: unknown = object[1];
      for (let i = 0, depth = 20 + Math.floor(random() * 800); i < depth; i++) nested = { AND: [nested] };
      variables[object[0]] = nested;
    } else if (mode === 1 && list) {
      variables[list[0]] = Array.from(
        { length: 12_000 + Math.floor(random() * 8_000) },
        (_, i) => list[1][0] ?? `x${i}`,
      );
    } else if (mode === 2 && (list || object)) {
      const junk = (i: number) => ({ [`unknownField${i}`]: i, ...(isObject(object?.[1]) ? object[1] : {}) });
      if (list)
        variables[list[0]] = Array.from({ length: 500 + Math.floor(random() * 5_000) }, (_, i) => junk(i));
      else if (object)
        variables[object[0]] = Object.assign(
          {},
          object[1],
          ...Array.from({ length: 200 }, (_, i) => junk(i)),
        );
    } else if (mode === 3 && text) {
      variables[text[0]] = `${text[1]}${lone[Math.floor(random() * lone.length)]}`;
    } else if (object) {
      const keys = Object.keys(object[1]);
      variables[object[0]] = keys.length ? { ...object[1], [keys[0]!]: null } : null;
    }
    return { query: request.query, variables };
  };
}
