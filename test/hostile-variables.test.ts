import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import {
  clearDatabase,
  graphFingerprint,
  TEST_DATABASE,
  testConfig,
  testDriver,
} from "./helpers/database.js";
import { adminToken, postGraphQL } from "./helpers/graphql.js";

/**
 * Variables are input like the document: the kinds of hostile variables that public reports describe
 * (graphql-js issues 4031 and 1753: deep nesting, thousands of coercion errors; lone surrogates) are
 * refused before any work that grows with them, with 400 BAD_USER_INPUT naming the variable's path
 * and the limit. On a server with the real seed.
 */
type Answer = Awaited<ReturnType<typeof postGraphQL>>;
const firstError = (answer: Answer) => answer.errors?.[0];

/** `{ AND: [ { AND: [ ... { id: { eq: "x" } } ] } ] }`, `depth` levels of AND, as JSON text (a client's JSON.stringify overflows its own stack at these depths). */
const nestedWhere = (depth: number) => `${'{"AND":['.repeat(depth)}{"id":{"eq":"x"}}${"]}".repeat(depth)}`;

/** A POST /graphql whose variables are given as JSON text. */
async function postRaw(baseUrl: string, query: string, variablesJson: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: `{"query":${JSON.stringify(query)},"variables":{"where":${variablesJson}}}`,
  });
  const body = (await response.json()) as Pick<Answer, "data" | "errors">;
  return { status: response.status, ...body };
}

describe("hostile variables, on a server with the real seed", () => {
  let atlas: RunningAtlas;
  let driver: Driver;
  const PROJECTS = "query P($where: ProjectWhere) { projects(where: $where, limit: 5) { id } }";

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  }, 300_000);
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  it("refuses nesting deeper than the limit, at any depth beyond it, naming the limit and the path", async () => {
    for (const depth of [40, 1_000, 2_000, 5_000]) {
      const answer = await postRaw(atlas.http.url, PROJECTS, nestedWhere(depth));
      expect(answer.status, String(depth)).toBe(400);
      expect(firstError(answer)?.extensions, String(depth)).toMatchObject({
        code: "BAD_USER_INPUT",
        limit: "maxVariableDepth",
        value: 32,
      });
      expect(firstError(answer)?.message).toMatch(/^variables\.where(\.AND\[0\])+/);
    }
    // Within the limit the same shape is a normal filter.
    const shallow = await postRaw(atlas.http.url, PROJECTS, nestedWhere(10));
    expect(shallow.status).toBe(200);
    expect(shallow.errors).toBeUndefined();
  });

  it("refuses lists longer than the limit, and caps coercion errors of a list within it", async () => {
    const IDS = "query P($ids: [ID!]!) { projects(where: { id: { in: $ids } }, limit: 5) { id } }";
    const long = await postGraphQL(atlas.http.url, IDS, {
      ids: Array.from({ length: 20_000 }, (_, i) => `cordis:${i}`),
    });
    expect(long.status).toBe(400);
    expect(firstError(long)?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: "maxVariableListLength",
      value: 10_000,
    });
    expect(firstError(long)?.message).toMatch(/^variables\.ids: /);
    // 9,000 items each with an unknown field: the coercion stops at 50 errors, not 9,000.
    const unknown = await postGraphQL(
      atlas.http.url,
      "query P($w: [ProjectWhere!]!) { projects(where: { OR: $w }, limit: 5) { id } }",
      {
        w: Array.from({ length: 9_000 }, (_, i) => ({ [`unknownField${i}`]: 1 })),
      },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.errors!.length).toBeLessThanOrEqual(51);
    expect(JSON.stringify(unknown.errors)).not.toContain("INTERNAL_SERVER_ERROR");
  });

  it("refuses more values in all variables than the limit", async () => {
    const many = Array.from({ length: 60 }, () => Array.from({ length: 1_000 }, (_, i) => `x${i}`));
    const answer = await postGraphQL(
      atlas.http.url,
      "query P($a: [[String!]!]) { projects(limit: 1) { id } }",
      { a: many },
    );
    expect(answer.status).toBe(400);
    expect(firstError(answer)?.extensions).toMatchObject({ limit: "maxVariableValues", value: 50_000 });
  });

  it("refuses invalid Unicode in variables as in the document, naming the path, and writes nothing", async () => {
    const before = await graphFingerprint(driver);
    const token = await adminToken();
    const CREATE = `mutation C($input: [SourceCreateInput!]!) { createSources(input: $input) { sources { id } } }`;
    for (const bad of ["\uD800", "a\uDC00b", "x\uDBFFy"]) {
      const answer = await postGraphQL(
        atlas.http.url,
        CREATE,
        { input: [{ id: "source:test-surrogate", title: `T${bad}` }] },
        { authorization: `Bearer ${token}` },
      );
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(firstError(answer)?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(firstError(answer)?.message).toMatch(/^variables\.input\[0\]\.title: /);
    }
    // In a key too, and in a query's variables.
    const key = await postGraphQL(atlas.http.url, PROJECTS, { where: { "id\uD800": { eq: "x" } } });
    expect(key.status).toBe(400);
    const query = await postGraphQL(atlas.http.url, PROJECTS, { where: { title: { eq: "\uDFFF" } } });
    expect(query.status).toBe(400);
    expect(firstError(query)?.message).toMatch(/^variables\.where\.title\.eq: /);
    // The same text written in the document is refused too (graphql-js's lexer).
    const inDocument = await postGraphQL(
      atlas.http.url,
      `{ projects(where: { title: { eq: "\\uD800" } }) { id } }`,
    );
    expect(inDocument.status).toBe(400);
    // A valid pair of surrogates (an emoji) is text.
    const emoji = await postGraphQL(atlas.http.url, PROJECTS, { where: { title: { eq: "😀" } } });
    expect(emoji.status).toBe(200);
    expect(await graphFingerprint(driver)).toEqual(before);
  });

  it("names the limit when graphql-js stops validating: repeated fields and too many errors", async () => {
    const repeated = await postGraphQL(
      atlas.http.url,
      `{ ${Array.from({ length: 800 }, () => "projects { id }").join(" ")} }`,
    );
    expect(repeated.status).toBe(400);
    expect(repeated.errors).toHaveLength(1);
    // Refused before validation's quadratic comparison starts: 800 repeats of `projects` are 800 x 799 / 2
    // pairs, and as many again of `id` in their merged selections.
    expect(firstError(repeated)?.extensions).toMatchObject({
      code: "GRAPHQL_VALIDATION_FAILED",
      limit: "maxFieldMergePairs",
      value: 1_000,
      count: 2 * ((800 * 799) / 2),
    });
    // The same kind through inline fragments and in a nested selection.
    for (const [document, count] of [
      [
        `{ ${Array.from({ length: 100 }, () => "... on Query { countries { id } }").join(" ")} }`,
        2 * ((100 * 99) / 2),
      ],
      [`{ projects(limit: 1) { ${Array.from({ length: 60 }, () => "id").join(" ")} } }`, (60 * 59) / 2],
    ] as const) {
      const answer = await postGraphQL(atlas.http.url, document);
      expect(answer.status, document.slice(0, 40)).toBe(400);
      expect(firstError(answer)?.extensions).toMatchObject({ limit: "maxFieldMergePairs", count });
    }
    // Below the limit (40 repeats: 780 pairs) the document is answered.
    const allowed = await postGraphQL(
      atlas.http.url,
      `{ projects(limit: 1) { ${Array.from({ length: 40 }, () => "id").join(" ")} } }`,
    );
    expect(allowed.errors).toBeUndefined();
    // 150 unknown fields: validation stops after 100 errors, and the last error says so.
    const unknown = await postGraphQL(
      atlas.http.url,
      `{ ${Array.from({ length: 150 }, (_, i) => `unknown${i}`).join(" ")} }`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.errors!.length).toBe(101);
    expect(unknown.errors!.at(-1)?.extensions).toMatchObject({
      code: "GRAPHQL_VALIDATION_FAILED",
      limit: "maxValidationErrors",
      value: 100,
    });
  });

  it("a null filter is a clear BAD_USER_INPUT, never an internal error", async () => {
    for (const [query, variables] of [
      ["{ projects(where: { startDate: null }, limit: 5) { id } }", {}],
      ["{ projects(where: { title: null }, limit: 5) { id } }", {}],
      ["{ funders(where: { country: null }, limit: 5) { id } }", {}],
      [PROJECTS, { where: { startDate: null } }],
      [PROJECTS, { where: { AND: [{ acronym: null }] } }],
    ] as const) {
      const answer = await postGraphQL(atlas.http.url, query, variables);
      expect(JSON.stringify(answer.errors), query).not.toContain("INTERNAL_SERVER_ERROR");
      expect(answer.status, query).toBe(400);
      expect(firstError(answer)?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(firstError(answer)?.message).toMatch(/null/);
    }
    const eqNull = await postGraphQL(
      atlas.http.url,
      "{ projects(where: { acronym: { eq: null } }, limit: 5) { id } }",
    );
    expect(eqNull.status).toBe(200);
  });

  it("null as an operator's value: eq matches a missing value, any other operator is refused", async () => {
    const ids = async (where: unknown) => {
      const answer = await postGraphQL<{ projects: { id: string }[] }>(
        atlas.http.url,
        "query P($where: ProjectWhere) { projects(where: $where, limit: 500) { id } }",
        { where },
      );
      expect(answer.status, JSON.stringify(where)).toBe(200);
      return answer.data!.projects.map((p) => p.id);
    };
    // Read from the graph directly: the projects without a start year, the first 500 by id, with one.
    const session = driver.session({ database: TEST_DATABASE });
    const read = async (cypher: string) => (await session.run(cypher)).records.map((r) => r.get(0) as string);
    const withoutYear = await read("MATCH (p:Project) WHERE p.startYear IS NULL RETURN p.id ORDER BY p.id");
    const firstPage = await read("MATCH (p:Project) RETURN p.id ORDER BY p.id LIMIT 500");
    const withYear = await read(
      "MATCH (p:Project) WHERE p.startYear IS NOT NULL RETURN p.id ORDER BY p.id LIMIT 500",
    );
    await session.close();
    expect(firstPage.length).toBeGreaterThan(100);
    expect(await ids({ startYear: { eq: null } })).toEqual(withoutYear.slice(0, 500));
    expect(await ids({ NOT: { startYear: { eq: null } } })).toEqual(withYear);
    // @neo4j/graphql reads any other operator given null as IS NULL: an unset bound sent as null would
    // select only the projects without a start year. It is refused, naming the path.
    for (const where of [
      { startYear: { gte: null } },
      { startYear: { in: null } },
      { title: { contains: null } },
      { participants: { some: { name: { startsWith: null } } } },
    ]) {
      const answer = await postGraphQL(
        atlas.http.url,
        "query P($where: ProjectWhere) { projects(where: $where, limit: 5) { id } }",
        { where },
      );
      expect(answer.status, JSON.stringify(where)).toBe(400);
      expect(firstError(answer)?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(firstError(answer)?.message).toMatch(/^projects\(where\)\.[a-zA-Z.]+: null is no bound/);
    }
    // Under a field that @include leaves out (the organisation page's topics), a null list is not read.
    const skipped = await postGraphQL(
      atlas.http.url,
      "query S($t: [ID!], $by: Boolean!) { projects(limit: 2) { id topics(where: { id: { in: $t } }) @include(if: $by) { id } } }",
      { t: null, by: false },
    );
    expect(skipped.status).toBe(200);
    expect((skipped.data as { projects: unknown[] }).projects).toHaveLength(2);
  });
});
