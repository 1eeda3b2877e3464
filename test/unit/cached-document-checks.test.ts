import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_QUERY_LIMITS } from "../../src/config/config.js";
import { type GraphQLAnswer, type StubServer, startStubServer } from "../helpers/server-harness.js";

/**
 * The server keeps work per document: Apollo's parsed and validated documents, the per-operation
 * verdicts of the null-filter and strict-date checks, and whole analysis answers by data version. A
 * document sent again (the fast path) must still meet every limit and access rule with the values of
 * ITS request: a verdict kept from an earlier request must never let a later one through. Each test
 * sends one document text twice or more, the first time harmless.
 */

let harness: StubServer;
beforeAll(async () => {
  harness = await startStubServer({
    // Reads need a token, so that the access rule has something to refuse; whole answers are kept.
    env: { ATLAS_READS_REQUIRE_TOKEN: "true" },
    answerCacheEntries: 64,
  });
});
afterAll(() => harness?.stop());

/** The recorded queries sent while `run` ran. */
async function queriesOf(run: () => Promise<GraphQLAnswer>) {
  const before = harness.queries.length;
  const answer = await run();
  return { answer, queries: harness.queries.slice(before) };
}

const code = (answer: GraphQLAnswer) => answer.body.errors?.[0]?.extensions?.code;

describe("a cached analysis answer (fault: the whole-answer cache answering before the checks)", () => {
  const MATRIX = "{ fundingMatrix(rows: COUNTRY, columns: YEAR, measure: AMOUNT_EUR) { cells { value } } }";

  it("is served from memory to a reader, and refused to a caller without a token or with a bad one", async () => {
    const reader = await harness.token([]);
    const first = await queriesOf(() => harness.post(MATRIX, { token: reader }));
    expect(first.answer.status).toBe(200);
    expect(first.answer.body.errors).toBeUndefined();
    const again = await queriesOf(() => harness.post(MATRIX, { token: reader }));
    expect(again.answer.body).toEqual(first.answer.body);
    // From memory: only the data-version read (never stale), no analysis query.
    expect(again.queries).toHaveLength(1);
    expect(again.queries[0]?.cypher).toContain("DataVersion");

    const anonymous = await queriesOf(() => harness.post(MATRIX));
    expect(anonymous.answer.status).toBe(401);
    expect(code(anonymous.answer)).toBe("UNAUTHENTICATED");
    expect(anonymous.answer.body.data ?? null).toBeNull();
    expect(anonymous.queries).toEqual([]);

    const forged = await harness.post(MATRIX, { token: `${reader.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(code(forged)).toBe("UNAUTHENTICATED");
  });
});

describe("a document sent again (fault: a per-document verdict kept for every request)", () => {
  it("meets the variable limits with each request's variables", async () => {
    const reader = await harness.token([]);
    const IDS = "query Ids($ids: [ID!]!) { projects(where: { id: { in: $ids } }, limit: 5) { id } }";
    const short = await harness.post(IDS, { token: reader, variables: { ids: ["cordis:1"] } });
    expect(short.status).toBe(200);
    const tooLong = DEFAULT_QUERY_LIMITS.maxVariableListLength + 1;
    const long = await queriesOf(() =>
      harness.post(IDS, {
        token: reader,
        variables: { ids: Array.from({ length: tooLong }, (_, i) => `cordis:${i}`) },
      }),
    );
    expect(long.answer.status).toBe(400);
    expect(long.answer.body.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: "maxVariableListLength",
      value: DEFAULT_QUERY_LIMITS.maxVariableListLength,
    });
    expect(long.queries).toEqual([]);
  });

  it("refuses a null filter given in a variable after the same document passed with a real filter", async () => {
    const reader = await harness.token([]);
    const FILTER = "query Filter($w: ProjectWhere) { projects(where: $w, limit: 5) { id } }";
    const real = await harness.post(FILTER, { token: reader, variables: { w: { id: { eq: "cordis:1" } } } });
    expect(real.status).toBe(200);
    const nullFilter = await queriesOf(() =>
      harness.post(FILTER, { token: reader, variables: { w: { startDate: null } } }),
    );
    expect(nullFilter.answer.status).toBe(400);
    expect(code(nullFilter.answer)).toBe("BAD_USER_INPUT");
    expect(nullFilter.answer.body.errors?.[0]?.message).toMatch(
      /^projects\(where\)\.startDate: null is not a filter/,
    );
    expect(nullFilter.queries).toEqual([]);
  });

  it("refuses a null filter written in the document every time it is sent", async () => {
    const reader = await harness.token([]);
    const LITERAL = "query Literal($id: ID!) { projects(where: { id: { eq: $id }, AND: null }) { id } }";
    for (const id of ["cordis:1", "cordis:2"]) {
      const answer = await harness.post(LITERAL, { token: reader, variables: { id } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.message).toMatch(/^projects\(where\)\.AND: null is not a filter/);
    }
  });

  it("refuses an impossible date given in a variable after the same document passed with a real one", async () => {
    const reader = await harness.token([]);
    const DATED = "query Dated($d: Date) { projects(where: { startDate: { eq: $d } }, limit: 5) { id } }";
    const real = await harness.post(DATED, { token: reader, variables: { d: "2024-02-29" } });
    expect(real.status).toBe(200);
    // 2023 is no leap year: the library's scalar would read it as 1 March.
    const impossible = await queriesOf(() =>
      harness.post(DATED, { token: reader, variables: { d: "2023-02-29" } }),
    );
    expect(impossible.answer.status).toBe(400);
    expect(impossible.answer.body.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      value: "2023-02-29",
    });
    expect(impossible.queries).toEqual([]);
  });

  it("refuses an impossible date written in the document every time, whatever the other variables", async () => {
    const reader = await harness.token([]);
    const LITERAL =
      'query Day($id: ID!) { projects(where: { id: { eq: $id }, startDate: { eq: "2023-04-31" } }) { id } }';
    for (const id of ["cordis:1", "cordis:2"]) {
      const answer = await harness.post(LITERAL, { token: reader, variables: { id } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        value: "2023-04-31",
      });
    }
  });

  it("answers a lookup sent again, and refuses it to a caller without a token", async () => {
    const reader = await harness.token([]);
    const LOOKUP = "query Q($id: ID!) { projects(where: { id: { eq: $id } }) { id title } }";
    for (const id of ["cordis:1", "cordis:2"]) {
      const answer = await harness.post(LOOKUP, { token: reader, variables: { id } });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ projects: [] });
    }
    const anonymous = await queriesOf(() => harness.post(LOOKUP, { variables: { id: "cordis:3" } }));
    expect(anonymous.answer.status).toBe(401);
    expect(anonymous.queries).toEqual([]);
  });

  it("is refused over the depth limit every time it is sent", async () => {
    let inner = "id";
    for (let level = DEFAULT_QUERY_LIMITS.maxDepth; level >= 1; level--)
      inner = `${level % 2 === 1 ? "topics" : "projects"} { ${inner} }`;
    const reader = await harness.token([]);
    for (let i = 0; i < 2; i++) {
      const answer = await harness.post(`{ ${inner} }`, { token: reader });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.message).toContain(
        `Query depth limit of ${DEFAULT_QUERY_LIMITS.maxDepth} exceeded`,
      );
    }
  });
});

describe("a cached analysis answer's body (fault: a kept text or gzip sent for another answer)", () => {
  it("is sent again byte for byte, gzipped, and another document gets its own answer", async () => {
    const reader = await harness.token([]);
    const TREND = "{ fundingTrend(groupBy: COUNTRY) { series { key } sourceCount } }";
    const raw = async (query: string) => {
      const response = await fetch(`${harness.server.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${reader}`,
          "accept-encoding": "gzip",
        },
        body: JSON.stringify({ query }),
      });
      return { encoding: response.headers.get("content-encoding"), text: await response.text() };
    };
    const first = await raw(TREND);
    const second = await raw(TREND);
    expect(second.text).toBe(first.text);
    expect(second.encoding).toBe("gzip");
    expect(JSON.parse(second.text)).toEqual({ data: { fundingTrend: { series: [], sourceCount: 0 } } });
    const other = await raw("{ dataVersion { version } }");
    expect(JSON.parse(other.text).data).toHaveProperty("dataVersion");
  });
});

describe("page sizes of a document sent again (fault: a page verdict kept for every request)", () => {
  const max = DEFAULT_QUERY_LIMITS.maxPageSize;

  it("refuses a page over the limit given in a variable after the same document passed with a small one", async () => {
    const reader = await harness.token([]);
    const PAGE = "query Page($n: Int) { projects(limit: $n) { id } }";
    expect((await harness.post(PAGE, { token: reader, variables: { n: 5 } })).status).toBe(200);
    const large = await harness.post(PAGE, { token: reader, variables: { n: max + 1 } });
    expect(large.status).toBe(400);
    expect(large.body.errors?.[0]?.extensions).toMatchObject({
      limit: "maxPageSize",
      value: max,
      count: max + 1,
    });
  });

  it("refuses a page over the limit written in the document after a request whose variables did not coerce", async () => {
    const reader = await harness.token([]);
    const LITERAL = `query Big($id: ID!) { projects(where: { id: { eq: $id } }, limit: ${max + 1}) { id } }`;
    const badVariables = await harness.post(LITERAL, { token: reader, variables: { id: { not: "an id" } } });
    expect(badVariables.status).toBe(400);
    for (const id of ["cordis:1", "cordis:2"]) {
      const answer = await harness.post(LITERAL, { token: reader, variables: { id } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ limit: "maxPageSize", count: max + 1 });
    }
  });
});
