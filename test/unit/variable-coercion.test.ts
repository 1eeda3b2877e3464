import { buildSchema, getVariableValues, type OperationDefinitionNode, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coerceVariables, MAX_VARIABLE_ERRORS } from "../../src/server/variable-coercion.js";
import { variablesProblem } from "../../src/server/variable-limits.js";
import { type StubServer, startStubServer } from "../helpers/server-harness.js";

/**
 * The server coerces a request's variables once, before execution, with messages that quote a bounded
 * part of an invalid value. graphql-js's getVariableValues is the oracle for everything else: the same
 * coerced values, the same number of errors, the same messages once the quoted value is cut out.
 */
const schema = buildSchema(`
  enum Level { COUNTRY ORGANISATION }
  input Where { id: ID, name: String, year: Int, level: Level, AND: [Where!], NOT: Where, tags: [String!] }
  input Required { id: ID!, years: [Int!]! }
  type Query { q(w: Where, r: Required, n: Int!, l: [Level!], d: Int): Int }
`);
const operation = (variables: string) =>
  parse(`query(${variables}) { q }`).definitions[0] as OperationDefinitionNode;
const definitions = operation(
  "$w: Where, $r: Required, $n: Int!, $l: [Level!] = [COUNTRY], $d: Int = 7, $s: String",
).variableDefinitions!;

/** A message with graphql-js's quoted value ("got invalid value <value>; " or "... <value> at") cut out. */
const withoutQuote = (message: string) => message.replace(/(got invalid value ).*?( at "|; )/s, "$1…$2");

const CASES: [string, Record<string, unknown>][] = [
  ["valid, defaults applied", { w: { id: "a", AND: [{ name: "x" }, { NOT: { year: 3 } }] }, n: 1 }],
  ["an explicit null and a null default", { w: null, n: 2, l: null, d: null }],
  ["an enum list given as one value", { n: 3, l: "ORGANISATION" }],
  ["a missing required variable", { w: { id: "a" } }],
  ["null for a non-null variable", { n: null }],
  ["an unknown field", { w: { idd: "a" }, n: 1 }],
  ["a wrong scalar deep down", { w: { AND: [{ NOT: { year: "three" } }] }, n: 1 }],
  ["a 64-bit integer for Int", { n: 2 ** 40 }],
  ["a missing required field and a null in a non-null list", { r: { years: [1, null] }, n: 1 }],
  ["an unknown enum value", { n: 1, l: ["COUNTRY", "REGION"] }],
  [
    "many unknown fields in one object",
    { n: 1, w: Object.fromEntries([...Array(80)].map((_, i) => [`k${i}`, i])) },
  ],
];

describe("variable coercion: graphql-js's rules, bounded messages", () => {
  for (const [name, inputs] of CASES) {
    it(`agrees with getVariableValues: ${name}`, () => {
      const ours = coerceVariables(schema, definitions, inputs);
      const oracle = getVariableValues(schema, definitions, inputs, { maxErrors: MAX_VARIABLE_ERRORS });
      expect(ours.coerced).toEqual(oracle.coerced);
      expect(ours.errors?.map((e) => withoutQuote(e.message))).toEqual(
        oracle.errors?.map((e) => withoutQuote(e.message).replace(/ Did you mean .*$/, "")),
      );
    });
  }

  it("quotes at most about 80 characters of an invalid value, however wide or long", () => {
    const wide = Object.fromEntries([...Array(30_000)].map((_, i) => [`k${i}`, "v".repeat(100)]));
    const long = { name: 5, id: "x".repeat(500_000) };
    for (const w of [wide, long, [{ idd: 1 }]]) {
      const { errors } = coerceVariables(schema, definitions, { w, n: 1 });
      expect(errors?.length).toBeGreaterThan(0);
      for (const error of errors!) expect(error.message.length).toBeLessThan(300);
    }
    const { errors } = coerceVariables(schema, definitions, { w: wide, n: 1 });
    expect(errors).toHaveLength(MAX_VARIABLE_ERRORS + 1);
    expect(errors![0]!.message).toContain("30000 fields");
    expect(errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", variablePath: "variables.w" });
  });
});

describe("the server refuses variables that do not coerce before execution", () => {
  let api: StubServer;
  beforeAll(async () => {
    api = await startStubServer();
  }, 120_000);
  afterAll(() => api?.stop());

  it("an object of 900 unknown fields: 400, 50 short errors and the limit, no query run", async () => {
    const w = Object.fromEntries([...Array(900)].map((_, i) => [`k${i}`, 1]));
    const answer = await api.post("query P($w: ProjectWhere) { projects(where: $w, limit: 5) { id } }", {
      variables: { w },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(MAX_VARIABLE_ERRORS + 1);
    expect(answer.body.errors!.at(-1)?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: "maxVariableErrors",
      value: MAX_VARIABLE_ERRORS,
    });
    expect(answer.body.errors![0]!.message).toMatch(
      /^Variable "\$w" got invalid value \{ k0: 1, k1: 1, k2: 1, … \(900 fields\) \}; Field "k0" is not defined by type "ProjectWhere"\.$/,
    );
    expect(JSON.stringify(answer.body).length).toBeLessThan(50_000);
    expect(api.queries).toHaveLength(0);
  });

  it("an object of 30,000 fields is refused before any walk of it, naming the limit", async () => {
    const w = Object.fromEntries([...Array(30_000)].map((_, i) => [`k${i}`, 1]));
    const answer = await api.post("query P($w: ProjectWhere) { projects(where: $w, limit: 5) { id } }", {
      variables: { w },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      variablePath: "variables.w",
      limit: "maxVariableObjectFields",
      value: 1000,
    });
  });

  it("an operation name the document does not define is still 400 naming it, with or without variables", async () => {
    for (const operationName of ["B", "A\ud800"]) {
      for (const query of [
        "query A { dataVersion { version } }",
        "query A($n: Int) { projects(limit: $n) { id } }",
      ]) {
        const response = await fetch(`${api.server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query, operationName, variables: { n: 1 } }),
        });
        expect(response.status, `${operationName} ${query}`).toBe(400);
        const body = (await response.json()) as { errors: { message: string }[] };
        expect(body.errors[0]!.message).toContain("Unknown operation named");
      }
    }
  });

  it("a variable that coerces is answered as before", async () => {
    const answer = await api.post("query P($w: ProjectWhere) { projects(where: $w, limit: 5) { id } }", {
      variables: { w: { id: { eq: "p1" } } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ projects: [] });
  });
});

describe("the variable limits name the place of a refused value", () => {
  const limits = {
    maxVariableDepth: 4,
    maxVariableListLength: 3,
    maxVariableValues: 40,
    maxVariableObjectFields: 60,
  };
  const cases: [string, unknown, string, string | undefined][] = [
    [
      "a lone surrogate in a list",
      { w: { AND: [{ id: "a" }, { "a b": ["x", "\ud800"] }] } },
      'variables.w.AND[1]["a b"][1]',
      undefined,
    ],
    [
      "too deep",
      { w: { NOT: { NOT: { NOT: { NOT: { id: "x" } } } } } },
      "variables.w.NOT.NOT.NOT.NOT",
      "maxVariableDepth",
    ],
    [
      "a list too long",
      {
        l: [
          [1, 2],
          [1, 2, 3, 4],
        ],
      },
      "variables.l[1]",
      "maxVariableListLength",
    ],
    // The variables map and w count as values too: k38 is the 41st.
    [
      "too many values",
      { w: Object.fromEntries([...Array(50)].map((_, i) => [`k${i}`, i])) },
      "variables.w.k38",
      "maxVariableValues",
    ],
    [
      "an object too wide",
      { w: { AND: [{ id: "a" }, Object.fromEntries([...Array(61)].map((_, i) => [`k${i}`, i]))] } },
      "variables.w.AND[1]",
      "maxVariableObjectFields",
    ],
    ["a surrogate in a key", { w: { "k\udc00": 1 } }, 'variables.w["k\\udc00"]', undefined],
  ];
  for (const [name, variables, path, limit] of cases)
    it(name, () => {
      const refused = variablesProblem(variables, limits);
      expect(refused?.extensions).toMatchObject({ code: "BAD_USER_INPUT", variablePath: path });
      expect(refused?.extensions.limit).toBe(limit);
      expect(refused?.message.startsWith(`${path}: `)).toBe(true);
    });
  it("lets through what keeps the limits", () => {
    expect(variablesProblem({ w: { AND: [{ id: "é😀" }, { NOT: { id: "x" } }] } }, limits)).toBeUndefined();
  });
});

describe("a URL whose percent-encoding is not UTF-8 is refused on every route, naming the part", () => {
  let api: StubServer;
  beforeAll(async () => {
    api = await startStubServer();
  }, 120_000);
  afterAll(() => api?.stop());

  const get = async (pathAndQuery: string) => {
    const response = await fetch(`${api.server.url}${pathAndQuery}`, {
      headers: { "apollo-require-preflight": "1" },
    });
    return { status: response.status, text: await response.text() };
  };

  it("refuses overlong forms, encoded surrogates, cut-short sequences and a bare %", async () => {
    for (const [url, part] of [
      [
        "/graphql?query=%7B%20dataVersion%20%7B%20version%20%7D%20%7D%C0%AF",
        'the query parameter \\"query\\"',
      ],
      ["/export/network.csv?level=COUNTRY&topicIds=%ED%A0%80", 'the query parameter \\"topicIds\\"'],
      ["/export/network.csv?level=COUNTRY&topicIds=ab%E2%82", 'the query parameter \\"topicIds\\"'],
      ["/health/live?probe=100%zz", 'the query parameter \\"probe\\"'],
      ["/export/network%FF.csv", "the path"],
      ["/graphql?%C0%AF=1", "a query parameter's name"],
    ]) {
      const answer = await get(url!);
      expect(answer.status, url).toBe(400);
      expect(answer.text, url).toContain(part);
      expect(answer.text, url).toContain('"code":"BAD_REQUEST"');
    }
    expect(api.queries).toHaveLength(0);
  });

  it("lets UTF-8 through, accents and emoji included", async () => {
    expect((await get("/health/live?who=%C3%A9%F0%9F%98%80+x")).status).toBe(200);
  });
});
