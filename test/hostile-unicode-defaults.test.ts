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
 * Issue 32 (a, b) with inputs that hostile-variables.test.ts does not send: a variable's default value in
 * the document is a variable's value like one sent (the depth limit held only for sent ones), and the
 * text a mutation writes may not hold NUL, other control characters or the noncharacters U+FFFE and
 * U+FFFF, whether it arrives in a variable, a default value or a string literal of the document (they
 * were written to the graph). On a server with the real seed.
 */
type Answer = Awaited<ReturnType<typeof postGraphQL>>;
const firstError = (answer: Answer) => answer.errors?.[0];

/** `{AND: [{AND: [ ... {id: {eq: "x"}} ]}]}` as GraphQL literal text, `depth` levels of AND. */
const nestedLiteral = (depth: number) => `${"{AND: [".repeat(depth)}{id: {eq: "x"}}${"]}".repeat(depth)}`;

describe("hostile defaults and text in writes, on a server with the real seed", () => {
  let atlas: RunningAtlas;
  let driver: Driver;
  let token: string;
  const CREATE =
    "mutation C($input: [SourceCreateInput!]!) { createSources(input: $input) { sources { id } } }";

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    atlas = await startAtlas(testConfig(), createLogger("silent"));
    token = await adminToken();
  }, 300_000);
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  it("refuses a variable's default value nested deeper than the limit, naming the limit and the path", async () => {
    for (const depth of [33, 40, 300]) {
      const answer = await postGraphQL(
        atlas.http.url,
        `query P($w: ProjectWhere = ${nestedLiteral(depth)}) { projects(where: $w, limit: 1) { id } }`,
      );
      expect(answer.status, String(depth)).toBe(400);
      expect(firstError(answer)?.extensions, String(depth)).toMatchObject({
        code: "BAD_USER_INPUT",
        limit: "maxVariableDepth",
        value: 32,
      });
      expect(firstError(answer)?.message).toMatch(
        /^variables\.w(\.AND\[0\]){16}: nested deeper than 32 levels \(the variable's default value\)$/,
      );
    }
    // A default within the limit is a normal filter; a sent value replaces the default, deep or not.
    const shallow = `query P($w: ProjectWhere = ${nestedLiteral(10)}) { projects(where: $w, limit: 1) { id } }`;
    expect((await postGraphQL(atlas.http.url, shallow)).status).toBe(200);
    const replaced = await postGraphQL(
      atlas.http.url,
      `query P($w: ProjectWhere = ${nestedLiteral(60)}) { projects(where: $w, limit: 1) { id } }`,
      { w: { id: { eq: "x" } } },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.errors).toBeUndefined();
  });

  it("refuses control characters and noncharacters in a mutation's text, wherever it arrives, and writes nothing", async () => {
    const before = await graphFingerprint(driver);
    const auth = { authorization: `Bearer ${token}` };
    for (const [bad, code] of [
      ["a\u0000b", "U+0000"],
      ["bell\u0007", "U+0007"],
      ["\u009bcsi", "U+009B"],
      ["x\u007fy", "U+007F"],
      ["non\uffffchar", "U+FFFF"],
      ["\ufffe", "U+FFFE"],
    ]) {
      const sent = await postGraphQL(
        atlas.http.url,
        CREATE,
        { input: [{ id: "source:test-control", title: "Fine", publisher: bad }] },
        auth,
      );
      expect(sent.status, code).toBe(400);
      expect(firstError(sent)?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(firstError(sent)?.message).toMatch(
        new RegExp(`^variables\\.input\\[0\\]\\.publisher: invalid text \\(${code.replace("+", "\\+")}, `),
      );
      // In a key of the input too.
      const key = await postGraphQL(atlas.http.url, CREATE, { input: [{ [`id${bad}`]: "x" }] }, auth);
      expect(key.status, code).toBe(400);
      expect(firstError(key)?.message).toMatch(/^variables\.input\[0\]\["id.*"\]: invalid text in a key/);
    }
    const escaped = JSON.stringify("a\u0000b").slice(1, -1); // "a\u0000b" as the document writes it
    const literal = await postGraphQL(
      atlas.http.url,
      `mutation {\n  createSources(input: [{id: "source:test-control", title: "${escaped}"}]) { sources { id } }\n}`,
      {},
      auth,
    );
    expect(literal.status).toBe(400);
    expect(firstError(literal)?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(firstError(literal)?.message).toMatch(/^document, line 2, column 60: invalid text \(U\+0000/);
    const byDefault = await postGraphQL(
      atlas.http.url,
      `mutation C($input: [SourceCreateInput!]! = [{id: "source:test-control", title: "t\\u0007"}]) { createSources(input: $input) { sources { id } } }`,
      {},
      auth,
    );
    expect(byDefault.status).toBe(400);
    expect(firstError(byDefault)?.message).toMatch(
      /^variables\.input\[0\]\.title: invalid text \(U\+0007.*default value/,
    );
    expect(await graphFingerprint(driver)).toEqual(before);
    // Reads are not writes: a filter or search phrase with such characters matches as text (search.test.ts).
    const read = await postGraphQL(
      atlas.http.url,
      "query P($t: String) { projects(where: { title: { eq: $t } }, limit: 1) { id } }",
      { t: "a\u0000\uffff" },
    );
    expect(read.status).toBe(200);
    expect(read.errors).toBeUndefined();
  });

  // Issue 32 (c): GraphQL Armor's limits and the parser's token limit named their value in words only.
  it("every limit of the document names itself: extensions.limit, the limit's value and what was found", async () => {
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: dataVersion { version }`).join(" ")} }`;
    const directives = `{ dataVersion ${Array.from({ length: 21 }, (_, i) => `@skip(if: ${i < 0})`).join(" ")} { version } }`;
    // funders { consortia { members { consortia ... } } }: 20 levels, more than ATLAS_MAX_DEPTH (12).
    let deep = "id";
    for (let level = 20; level >= 1; level--)
      deep = `${level === 1 ? "funders" : level % 2 === 0 ? "consortia" : "members"} { ${deep} }`;
    const tokens = `{ dataVersion { ${"version ".repeat(5_000)}} }`;
    for (const [document, limit, value, count] of [
      [aliases, "maxAliases", 15, 16],
      [directives, "maxDirectives", 20, 21],
      [`{ ${deep} }`, "maxDepth", 12, undefined],
      [tokens, "maxTokens", 5_000, undefined],
    ] as const) {
      const answer = await postGraphQL(atlas.http.url, document);
      expect(answer.status, limit).toBe(400);
      const error = answer.errors!.find((e) => e.extensions?.limit === limit);
      expect(error?.extensions, limit).toMatchObject({ limit, value, ...(count ? { count } : {}) });
      expect(String(error?.extensions?.code)).toMatch(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/);
    }
    // graphql-js stops coercing variables after 50 errors: that limit is the variables' (BAD_USER_INPUT),
    // as the errors listed before it, not a validation failure.
    const coercion = await postGraphQL(
      atlas.http.url,
      "query P($w: [ProjectWhere!]!) { projects(where: { OR: $w }, limit: 5) { id } }",
      { w: Array.from({ length: 500 }, (_, i) => ({ [`unknownField${i}`]: 1 })) },
    );
    expect(coercion.status).toBe(400);
    expect(coercion.errors!.at(-1)?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: "maxVariableErrors",
      value: 50,
    });
    expect(new Set(coercion.errors!.map((e) => e.extensions?.code))).toEqual(new Set(["BAD_USER_INPUT"]));
  });

  it("refuses a body that is not UTF-8 (an overlong or cut-short sequence), naming the byte, and writes nothing", async () => {
    const before = await graphFingerprint(driver);
    const head = Buffer.from(
      `{"query":${JSON.stringify(CREATE)},"variables":{"input":[{"id":"source:test-utf8","title":"a`,
    );
    const tail = Buffer.from('"}]}}');
    // An overlong "/" (C0 AF), an encoded surrogate (ED A0 80), a sequence cut short (E2 82 then a quote).
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff]]) {
      const response = await fetch(`${atlas.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: Buffer.concat([head, Buffer.from(bad), tail]),
      });
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(response.status, String(bad)).toBe(400);
      expect(body.errors[0]!.extensions.code).toBe("BAD_REQUEST");
      expect(body.errors[0]!.message).toBe(
        `The request body is not valid UTF-8: an invalid, overlong or cut-short byte sequence at byte ${head.length}; send JSON text as UTF-8.`,
      );
    }
    expect(await graphFingerprint(driver)).toEqual(before);
  });
});
