import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { seededRandom } from "../src/util/seeded-random.js";
import { testConfig } from "./helpers/database.js";

/** A seeded generator of queries and variables over the public schema (mulberry32: runs repeat). */
function generator(schema: GraphQLSchema, seed: number) {
  const random = seededRandom(seed);

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ids = [
    "country:DE",
    "funder:isciii",
    "cordis:101137129",
    "consortium:era-permed",
    "topic:cancer",
    "x",
    "",
    "'; DROP",
    "fx:P1",
  ];
  const strings = ["", "Carlos", "a*", '"unbalanced', "é€😀", "x".repeat(300), "(", "AND OR"];

  const value = (type: GraphQLInputType, depth: number): unknown => {
    if (isNonNullType(type)) return value(type.ofType, depth);
    if (isListType(type))
      return Array.from({ length: Math.floor(random() * 3) }, () => value(type.ofType, depth + 1));
    if (isEnumType(type)) return pick(type.getValues()).value;
    if (isInputObjectType(type)) {
      if (depth > 2) return {};
      const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || random() < 0.2);
      return Object.fromEntries(fields.slice(0, 4).map((f) => [f.name, value(f.type, depth + 1)]));
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case "Int":
          return pick([0, 1, 5, -1, 2024, 99999, 2147483647]);
        case "Float":
          return pick([0, 1.5, -3, 1e12]);
        case "Boolean":
          return random() < 0.5;
        case "ID":
          return pick(ids);
        case "Date":
          return pick(["2024-01-01", "2024-13-45", "yesterday"]);
        default:
          return pick(strings);
      }
    }
    return null;
  };

  const selection = (type: GraphQLNamedType, depth: number, variables: Record<string, unknown>): string => {
    if (isUnionType(type)) return "{ __typename }";
    if (!isObjectType(type)) return "";
    const fields = Object.values(type.getFields());
    const chosen = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(fields));
    const parts = chosen.map((field) => {
      const named = getNamedType(field.type);
      const inner = isObjectType(named) || isUnionType(named) ? selection(named, depth + 1, variables) : "";
      if ((isObjectType(named) || isUnionType(named)) && (depth >= 3 || !inner)) return "__typename";
      return `${field.name}${args(field, variables)} ${inner}`;
    });
    return `{ ${[...new Set(parts)].join(" ")} }`;
  };

  let variableCount = 0;
  const args = (field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): string => {
    const given = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) || random() < 0.4);
    if (!given.length) return "";
    return `(${given
      .map((a) => {
        const name = `v${variableCount++}`;
        variables[name] = { type: a.type.toString(), value: value(a.type, 0) };
        return `${a.name}: $${name}`;
      })
      .join(", ")})`;
  };

  return () => {
    const spec: Record<string, unknown> = {};
    const query = selection(schema.getQueryType()!, 0, spec);
    const declarations = Object.entries(spec).map(([name, v]) => `$${name}: ${(v as { type: string }).type}`);
    const variables = Object.fromEntries(
      Object.entries(spec).map(([name, v]) => [name, (v as { value: unknown }).value]),
    );
    return {
      query: `query Fuzz${declarations.length ? `(${declarations.join(", ")})` : ""} ${query}`,
      variables,
    };
  };
}

describe("fuzzing the API with generated queries and variables", () => {
  let atlas: RunningAtlas;
  beforeAll(async () => {
    atlas = await startAtlas(testConfig({ environment: "production" }), createLogger("silent"));
  });
  afterAll(() => atlas.stop());

  it("answers 2,000 generated requests without a 500 and without hanging", async () => {
    // The printed public API (same graphql module as this file; @neo4j/graphql uses the CommonJS one).
    const schema = buildSchema(
      readFileSync(path.join(projectRoot(), "src", "generated", "schema.graphql"), "utf8"),
    );
    const next = generator(schema, 20261128);
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const worker = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const body = next();
        const response = await fetch(`${atlas.http.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        if (response.status >= 500)
          serverErrors.push(`${response.status} ${body.query.slice(0, 300)} -> ${text.slice(0, 300)}`);
        expect(text).not.toMatch(/at .+\.(js|ts):\d+/); // no stack trace ever leaves a production server
      }
    };
    await Promise.all([worker(500), worker(500), worker(500), worker(500)]);
    expect(serverErrors).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(2000);
  }, 600_000);
});
