import { Neo4jError } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_QUERY_LIMITS } from "../../src/config/config.js";
import type { Responder } from "../helpers/recording-driver.js";
import { type GraphQLAnswer, type StubServer, startStubServer } from "../helpers/server-harness.js";

/**
 * The real server (schema, access rules, limits, error formatter, paging plans, resolvers) in production
 * mode over a driver that runs nothing: what the server does around the database, in milliseconds per
 * request. Each test names the fault it exists to catch.
 */

/** A plain error deep in an analysis (a driver failure, a bug): its text must never reach a client. */
const INTERNAL_DETAIL = "internal detail /var/lib/neo4j must stay in the logs";

/**
 * What Neo4j reports when an @authorization rule of @neo4j/graphql fails inside a query: the
 * library's `apoc.util.validate(..., "@neo4j/graphql/FORBIDDEN")`, which its Executor turns into
 * Neo4jGraphQLForbiddenError (node_modules/@neo4j/graphql/dist/classes/Executor.js, formatError).
 */
const RULE_FAILED = new Neo4jError(
  "Failed to invoke procedure `apoc.util.validate`: Caused by: java.lang.RuntimeException: @neo4j/graphql/FORBIDDEN",
  "Neo.ClientError.Procedure.ProcedureCallFailed",
  "52N37",
  "procedure call failed",
);

/**
 * Two EUR projects and one USD project of funder `funder:one`, as whole cents (what `centsOf` makes
 * Neo4j return). By hand: 240,780,407.95 + 0.30 = 240,780,408.25 EUR (adding the EUR floats instead
 * gives 240780408.25000003); 123.45 USD stays apart (never converted).
 */
const FUNDER = { id: "funder:one", label: "One", country: "DE" };
const FUNDER_ROWS = [
  { id: "project:a", funders: [FUNDER], currency: "EUR", cents: 24_078_040_795 },
  { id: "project:b", funders: [FUNDER], currency: "EUR", cents: 30 },
  { id: "project:c", funders: [FUNDER], currency: "USD", cents: 12_345 },
];

const respond: Responder = (cypher, params) => {
  const asked = JSON.stringify(params);
  if (asked.includes("topic:rule-fails")) throw RULE_FAILED;
  if (asked.includes("topic:analysis-fails")) throw new Error(INTERNAL_DETAIL);
  if (cypher.includes("RETURN p.id AS id, funders, currency, cents")) return FUNDER_ROWS;
  return [];
};

let harness: StubServer;
beforeAll(async () => {
  harness = await startStubServer({ respond });
});
afterAll(() => harness?.stop());

/** The recorded queries sent while `run` ran. */
async function queriesOf(run: () => Promise<GraphQLAnswer>) {
  const before = harness.queries.length;
  const answer = await run();
  return { answer, queries: harness.queries.slice(before) };
}

const DELETE_TOPIC = 'mutation { deleteTopics(where: { id: { eq: "topic:x" } }) { nodesDeleted } }';

describe("access (fault: FORBIDDEN turned into UNAUTHENTICATED)", () => {
  it("a write without a token is UNAUTHENTICATED (401) and reaches no database", async () => {
    const before = harness.writes.length;
    const { status, body } = await harness.post(DELETE_TOPIC);
    expect(status).toBe(401);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(body.data ?? null).toBeNull();
    expect(harness.writes.length).toBe(before);
  });

  it("a write with a valid token without the admin role is FORBIDDEN (403), not UNAUTHENTICATED", async () => {
    const before = harness.writes.length;
    const { status, body } = await harness.post(DELETE_TOPIC, { token: await harness.token(["reader"]) });
    expect(status).toBe(403);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(harness.writes.length).toBe(before);
  });

  it("a token that does not verify is UNAUTHENTICATED (401), even for a read", async () => {
    const forged = `${(await harness.token(["admin"])).slice(0, -4)}AAAA`;
    const { status, body } = await harness.post("{ dataVersion { version } }", { token: forged });
    expect(status).toBe(401);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("a write with an admin token runs, in a write transaction", async () => {
    const before = harness.writes.length;
    const { status, body } = await harness.post(DELETE_TOPIC, { token: await harness.token(["admin"]) });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data).toEqual({ deleteTopics: { nodesDeleted: 0 } });
    const written = harness.writes.slice(before);
    expect(written).toHaveLength(1);
    expect(written[0]!.cypher).toMatch(
      /MATCH \(this:Topic&Entity\)\nWHERE this\.id = \$param0\nDETACH DELETE this/,
    );
    expect(written[0]!.params).toEqual({ param0: "topic:x" });
  });

  it("@neo4j/graphql's own Forbidden (an authorization rule failing in the query) is FORBIDDEN with its path", async () => {
    const { body } = await harness.post('{ topics(where: { id: { eq: "topic:rule-fails" } }) { id } }');
    expect(body.errors).toEqual([
      {
        message: "Forbidden",
        locations: [{ line: 1, column: 3 }],
        path: ["topics"],
        extensions: { code: "FORBIDDEN" },
      },
    ]);
  });
});

describe("errors (fault: a resolver that throws)", () => {
  it("an analysis that fails is masked in production: INTERNAL_SERVER_ERROR, its path, no stack, no detail", async () => {
    const { status, body } = await harness.post(
      '{ fundingByFunder(filters: { topicIds: ["topic:analysis-fails"] }) { description } }',
    );
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      {
        message: "Unexpected error.",
        locations: [{ line: 1, column: 3 }],
        path: ["fundingByFunder"],
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/internal detail|stacktrace|\.ts:\d+/);
  });

  // Over an empty database (no rows for any query) each must answer: a resolver that throws fails here.
  // Those that read the analysis projection build it from the stub's (empty) streams.
  it.each([
    ["topicLenses", "{ topicLenses { key } }", { topicLenses: [] }],
    ["dataVersion", "{ dataVersion { version } }", { dataVersion: { version: 0 } }],
    ["coverage", "{ coverage { projects } }", { coverage: { projects: 0 } }],
    [
      "collaborationNetwork",
      "{ collaborationNetwork(level: COUNTRY) { nodes { key } edges { weight } } }",
      { collaborationNetwork: { nodes: [], edges: [] } },
    ],
    [
      "fundingTrend",
      "{ fundingTrend(groupBy: COUNTRY) { series { key } } }",
      { fundingTrend: { series: [] } },
    ],
    ["networkMetrics", "{ networkMetrics(level: COUNTRY) { key } }", { networkMetrics: [] }],
    [
      "fundingMatrix",
      "{ fundingMatrix(rows: COUNTRY, columns: YEAR) { rows { key } columns { key } } }",
      { fundingMatrix: { rows: [], columns: [] } },
    ],
    [
      "coFundingNetwork",
      "{ coFundingNetwork { nodes { key } edges { __typename calls } commitmentsStated } }",
      { coFundingNetwork: { nodes: [], edges: [], commitmentsStated: 0 } },
    ],
  ])("%s answers over an empty database", async (_name, document, data) => {
    const { status, body } = await harness.post(document);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data).toEqual(data);
  });
});

describe("money (fault: cents rounded away)", () => {
  it("fundingByFunder sums whole cents and answers EUR and USD apart, exact to the cent", async () => {
    const { answer, queries } = await queriesOf(() =>
      harness.post("{ fundingByFunder { rows { funderId currency amount projects } } }"),
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({
      fundingByFunder: {
        rows: [
          { funderId: "funder:one", currency: "EUR", amount: 240_780_408.25, projects: 2 },
          { funderId: "funder:one", currency: "USD", amount: 123.45, projects: 1 },
        ],
      },
    });
    // Neo4j turns each stored amount into whole cents before anything is added.
    const money = queries.find((q) => q.cypher.includes("AS cents"));
    expect(money?.cypher).toContain("toInteger(round(coalesce(p.funding, 0.0) * 100))");
    expect(money?.cypher).toContain("toInteger(round(coalesce(p.fundingOriginal, 0.0) * 100))");
  });
});

describe("limits (fault: the depth rule removed)", () => {
  /** topics { projects { topics { ... { id } } } }: `depth` levels of fields, the last one `id`. */
  const nested = (depth: number): string => {
    let inner = "id";
    for (let level = depth - 1; level >= 1; level--)
      inner = `${level % 2 === 1 ? "topics" : "projects"} { ${inner} }`;
    return `{ ${inner} }`;
  };
  const maxDepth = DEFAULT_QUERY_LIMITS.maxDepth;

  it(`a document one level deeper than maxDepth (${maxDepth}) is refused naming the limit, before any query`, async () => {
    const { answer, queries } = await queriesOf(() => harness.post(nested(maxDepth + 1)));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(answer.body.errors?.[0]?.message).toBe(
      `Syntax Error: Query depth limit of ${maxDepth} exceeded, found ${maxDepth + 1}.`,
    );
    expect(queries).toEqual([]);
  });

  it("a document of exactly maxDepth levels is answered", async () => {
    const { status, body } = await harness.post(nested(maxDepth));
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it("a page larger than maxPageSize is refused naming the limit, before any query", async () => {
    const first = DEFAULT_QUERY_LIMITS.maxPageSize + 1;
    const { answer, queries } = await queriesOf(() =>
      harness.post(`{ projectsConnection(first: ${first}) { edges { node { id } } } }`),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({
      code: "BAD_USER_INPUT",
      argumentName: "first",
      limit: "maxPageSize",
      value: DEFAULT_QUERY_LIMITS.maxPageSize,
      count: first,
    });
    expect(answer.body.errors?.[0]?.message).toContain(`at most ${DEFAULT_QUERY_LIMITS.maxPageSize} items`);
    expect(queries).toEqual([]);
  });

  // An analysis query bounds its own `limit` (networkSeries and collaborationNetwork: 5,000 edges, as
  // their descriptions say); refusing it as a page would break the documented contract.
  it.each([
    [
      "networkSeries",
      "{ networkSeries(level: COUNTRY, fromYear: 2020, toYear: 2021, limit: 5000) { description } }",
    ],
    ["collaborationNetwork", "{ collaborationNetwork(level: COUNTRY, limit: 5000) { description } }"],
    ["export", "{ export(level: COUNTRY, format: CSV, limit: 5000) }"],
  ])(
    "%s with a limit above maxPageSize but within its own bound is not refused as a page",
    async (_, query) => {
      const { body } = await harness.post(query);
      for (const error of body.errors ?? []) expect(error.extensions?.limit).not.toBe("maxPageSize");
    },
  );
});

describe("paging plans (fault: the sort's id tie-breaker dropped)", () => {
  it("a list sorted by a key that ties is ordered by id after it", async () => {
    const { answer, queries } = await queriesOf(() =>
      harness.post("{ projects(sort: [{ startYear: DESC }], limit: 3) { id } }"),
    );
    expect(answer.body.errors).toBeUndefined();
    expect(queries).toHaveLength(1);
    expect(queries[0]!.cypher).toContain("ORDER BY this.startYear DESC, this.id ASC\nLIMIT $param0");
  });

  it("a connection sorted by a key that ties is ordered by id after it", async () => {
    const { answer, queries } = await queriesOf(() =>
      harness.post("{ projectsConnection(sort: [{ startYear: DESC }], first: 3) { edges { node { id } } } }"),
    );
    expect(answer.body.errors).toBeUndefined();
    expect(queries).toHaveLength(1);
    expect(queries[0]!.cypher).toContain("ORDER BY this0.startYear DESC, this0.id ASC\nLIMIT $param0");
  });

  it("a list without a sort is ordered by id", async () => {
    const { queries } = await queriesOf(() => harness.post("{ topics(limit: 2) { id } }"));
    expect(queries).toHaveLength(1);
    expect(queries[0]!.cypher).toContain("ORDER BY this.id ASC");
  });
});
