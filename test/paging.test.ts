import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, type GraphQLResponse, postGraphQL } from "./helpers/graphql.js";

/*
 * Paging on the seeded graph, loaded through the real importers at start-up. The seed's projects tie
 * heavily on status (a handful of values), start year and funding scheme, which is what made pages
 * repeat and skip items before every order was finished with the unique id.
 */

const log = createLogger("silent");
const cordisProjectIds = readCordisCsv(path.join(defaultSeedDir(), "cordis", "horizon", "project.csv")).map(
  (row) => `cordis:${row.id}`,
);

interface ProjectRow {
  id: string;
  status: string | null;
  startYear: number | null;
  fundingScheme: string | null;
}
interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: ProjectRow }[];
}

type SortKey = "status" | "startYear" | "fundingScheme";
type Sort = Partial<Record<SortKey | "id", "ASC" | "DESC">>[];

/** Neo4j's ORDER BY: null is the largest value (last ascending, first descending). */
function compareBy(sort: Sort) {
  const keys = [...sort.flatMap((entry) => Object.entries(entry)), ["id", "ASC"]] as [
    keyof ProjectRow,
    "ASC" | "DESC",
  ][];
  return (a: ProjectRow, b: ProjectRow): number => {
    for (const [key, direction] of keys) {
      const [x, y] = [a[key], b[key]];
      if (x === y) continue;
      const order = x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
      return direction === "ASC" ? order : -order;
    }
    return 0;
  };
}

const ROW = "id status startYear fundingScheme";

describe("paging through the seeded graph", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let projectCount: number;
  const post = <T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
    postGraphQL<T>(atlas.http.url, query, variables, headers);
  const query = <T>(q: string, variables?: Record<string, unknown>) => post<T>(q, variables).then(expectData);

  /** Follows endCursor from the first page to the last; every page must be at most `first` items. */
  async function walkCursors(
    sort: Sort | undefined,
    first: number | undefined,
    expectedTotal = projectCount,
  ): Promise<Connection["edges"]> {
    const edges: Connection["edges"] = [];
    let after: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const data: { projectsConnection: Connection } = await query(
        `query Page($first: Int, $after: String, $sort: [ProjectSort!]) {
          projectsConnection(first: $first, after: $after, sort: $sort) {
            totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${ROW} } }
          }
        }`,
        { first, after, sort },
      );
      const connection = data.projectsConnection;
      expect(connection.totalCount).toBe(expectedTotal);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(connection.edges.length).toBeLessThanOrEqual(first ?? 50);
      edges.push(...connection.edges);
      if (!connection.pageInfo.hasNextPage) return edges;
      after = connection.pageInfo.endCursor;
    }
    throw new Error("more than 1000 pages");
  }

  async function walkOffsets(sort: Sort, limit: number): Promise<ProjectRow[]> {
    const rows: ProjectRow[] = [];
    for (let offset = 0; offset < projectCount; offset += limit) {
      const data = await query<{ projects: ProjectRow[] }>(
        `query Page($limit: Int, $offset: Int, $sort: [ProjectSort!]) {
          projects(limit: $limit, offset: $offset, sort: $sort) { ${ROW} }
        }`,
        { limit, offset, sort },
      );
      rows.push(...data.projects);
    }
    return rows;
  }

  /** Every project exactly once, in the asked-for order with ties broken by id. */
  function expectWholeOrder(rows: ProjectRow[], sort: Sort) {
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(projectCount);
    expect(ids).toEqual(expect.arrayContaining(cordisProjectIds));
    expect(ids).toEqual([...rows].sort(compareBy(sort)).map((row) => row.id));
  }

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    atlas = await startAtlas(testConfig({ autoSeed: true }), log);
    // Counted by Cypher, beside the API: the number a walk through the pages must reach.
    projectCount = await count(driver, "MATCH (p:Project) RETURN count(p)");
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  const tiedSorts: [string, Sort][] = [
    ["status", [{ status: "ASC" }]],
    ["startYear descending", [{ startYear: "DESC" }]],
    ["fundingScheme", [{ fundingScheme: "ASC" }]],
    ["status, then startYear", [{ status: "DESC" }, { startYear: "ASC" }]],
    ["no sort at all", []],
  ];

  describe("issue 14.1: every sort pages completely and in a stable order", () => {
    it("the seed ties heavily on the sort keys (what made pages repeat and skip items)", async () => {
      for (const key of ["status", "startYear", "fundingScheme"])
        expect(await count(driver, `MATCH (p:Project) RETURN count(DISTINCT p.${key})`), key).toBeLessThan(
          projectCount / 10,
        );
    });

    it.each(tiedSorts)("with cursors, sorted by %s: every project exactly once", async (_name, sort) => {
      const edges = await walkCursors(sort, 50);
      expectWholeOrder(
        edges.map((edge) => edge.node),
        sort,
      );
      expect(new Set(edges.map((edge) => edge.cursor)).size).toBe(edges.length);
    });

    it.each(tiedSorts)(
      "with limit and offset, sorted by %s: every project exactly once",
      async (_name, sort) => {
        expectWholeOrder(await walkOffsets(sort, 50), sort);
      },
    );

    it("with an odd page size that cuts through the ties", async () => {
      const sort: Sort = [{ status: "ASC" }];
      expectWholeOrder(
        (await walkCursors(sort, 7)).map((edge) => edge.node),
        sort,
      );
    });

    it("when the sort arrives as a variable's default value or in a fragment", async () => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data: { projectsConnection: Connection } = await query(
          `query Page($after: String, $sort: [ProjectSort!] = [{ startYear: ASC }]) { ...Page }
           fragment Page on Query {
             projectsConnection(first: 40, after: $after, sort: $sort) {
               pageInfo { hasNextPage endCursor } edges { node { id } }
             }
           }`,
          { after },
        );
        ids.push(...data.projectsConnection.edges.map((edge) => edge.node.id));
        if (!data.projectsConnection.pageInfo.hasNextPage) break;
        after = data.projectsConnection.pageInfo.endCursor;
      }
      expect(new Set(ids).size).toBe(projectCount);
      expect(ids.length).toBe(projectCount);
    });

    it("in a relationship connection (an organisation's projects, sorted by status)", async () => {
      // The organisation with the most projects, by Cypher.
      const { records } = await driver.executeQuery(
        "MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p:Project) RETURN o.id AS id, count(DISTINCT p) AS n ORDER BY n DESC, id LIMIT 1",
      );
      const organisationId = records[0]!.get("id") as string;
      const expected = (records[0]!.get("n") as { toNumber(): number }).toNumber();
      expect(expected).toBeGreaterThan(6);
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data: { organisations: { projectsConnection: Connection }[] } = await query(
          `query Page($id: ID!, $after: String) {
            organisations(where: { id: { eq: $id } }) {
              projectsConnection(first: 3, after: $after, sort: [{ node: { status: ASC } }]) {
                totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
              }
            }
          }`,
          { id: organisationId, after },
        );
        const connection = data.organisations[0]!.projectsConnection;
        expect(connection.totalCount).toBe(expected);
        ids.push(...connection.edges.map((edge) => edge.node.id));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(ids.length).toBe(expected);
      expect(new Set(ids).size).toBe(expected);
    });

    it("in a nested list with limit and offset", async () => {
      const { records } = await driver.executeQuery(
        "MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p:Project) RETURN o.id AS id, count(DISTINCT p) AS n ORDER BY n DESC, id LIMIT 1",
      );
      const organisationId = records[0]!.get("id") as string;
      const expected = (records[0]!.get("n") as { toNumber(): number }).toNumber();
      const ids: string[] = [];
      for (let offset = 0; offset < expected; offset += 2) {
        const data = await query<{ organisations: { projects: { id: string }[] }[] }>(
          `query Page($id: ID!, $offset: Int) {
            organisations(where: { id: { eq: $id } }) { projects(limit: 2, offset: $offset, sort: [{ status: ASC }]) { id } }
          }`,
          { id: organisationId, offset },
        );
        ids.push(...data.organisations[0]!.projects.map((project) => project.id));
      }
      expect(ids.length).toBe(expected);
      expect(new Set(ids).size).toBe(expected);
    });

    it("in a search field, whose default order (score) ties too", async () => {
      const ids: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (;;) {
        const data: {
          searchProjects: {
            totalCount: number;
            pageInfo: Connection["pageInfo"];
            edges: { node: { id: string } }[];
          };
        } = await query(
          `query Page($after: String) {
            searchProjects(phrase: "cancer", first: 7, after: $after) {
              totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
            }
          }`,
          { after },
        );
        total = data.searchProjects.totalCount;
        ids.push(...data.searchProjects.edges.map((edge) => edge.node.id));
        if (!data.searchProjects.pageInfo.hasNextPage) break;
        after = data.searchProjects.pageInfo.endCursor;
      }
      expect(total).toBeGreaterThan(14);
      expect(ids.length).toBe(total);
      expect(new Set(ids).size).toBe(total);
    });
  });

  describe("issue 14.2: a write between two pages is reported, never silently shifts the next page", () => {
    const projectInput = (id: string, startYear: number) => ({ id, title: `Paging test ${id}`, startYear });
    async function createProject(id: string, startYear: number) {
      const token = await adminToken();
      expectData(
        await post(
          "mutation Create($input: [ProjectCreateInput!]!) { createProjects(input: $input) { projects { id } } }",
          { input: [projectInput(id, startYear)] },
          { authorization: `Bearer ${token}` },
        ),
      );
    }
    async function deleteProject(id: string) {
      const token = await adminToken();
      expectData(
        await post(
          "mutation Delete($id: ID!) { deleteProjects(where: { id: { eq: $id } }) { nodesDeleted } }",
          { id },
          { authorization: `Bearer ${token}` },
        ),
      );
    }
    const page = (after: string | null) =>
      post<{ projectsConnection: Connection }>(
        `query Page($after: String) {
          projectsConnection(first: 50, after: $after, sort: [{ startYear: ASC }]) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { ${ROW} } }
          }
        }`,
        { after },
      );
    const expectStale = (response: GraphQLResponse<unknown>) => {
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "STALE_CURSOR", argumentName: "after" });
      expect(response.errors?.[0]?.message).toMatch(/start again from the first page/);
    };

    it("an item created before the cursor makes the next page STALE_CURSOR; a fresh walk has it once", async () => {
      const first = expectData(await page(null)).projectsConnection;
      await createProject("test:paging-early", 1900);
      try {
        expectStale(await page(first.pageInfo.endCursor));
        const all = await walkCursors([{ startYear: "ASC" }], 50, projectCount + 1);
        const ids = all.map((edge) => edge.node.id);
        expect(ids.filter((id) => id === "test:paging-early")).toHaveLength(1);
        expect(new Set(ids).size).toBe(ids.length);
      } finally {
        await deleteProject("test:paging-early");
      }
    });

    it("an item deleted before the cursor makes the next page STALE_CURSOR", async () => {
      await createProject("test:paging-doomed", 1901);
      const first = expectData(await page(null)).projectsConnection;
      expect(first.edges[0]!.node.id).toBe("test:paging-doomed");
      await deleteProject("test:paging-doomed");
      expectStale(await page(first.pageInfo.endCursor));
    });

    it("an item created after the cursor leaves the walk intact and appears exactly once", async () => {
      const seen: string[] = [];
      const first = expectData(await page(null)).projectsConnection;
      seen.push(...first.edges.map((edge) => edge.node.id));
      await createProject("test:paging-late", 2999);
      try {
        let after = first.pageInfo.endCursor;
        for (;;) {
          const next = expectData(await page(after)).projectsConnection;
          seen.push(...next.edges.map((edge) => edge.node.id));
          if (!next.pageInfo.hasNextPage) break;
          after = next.pageInfo.endCursor;
        }
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(projectCount + 1);
        expect(seen.filter((id) => id === "test:paging-late")).toHaveLength(1);
      } finally {
        await deleteProject("test:paging-late");
      }
    });

    it("a cursor of another sort, or text that is no cursor, is BAD_USER_INPUT naming `after`", async () => {
      const byStatus = expectData(
        await post<{ projectsConnection: Connection }>(
          "{ projectsConnection(first: 5, sort: [{ status: ASC }]) { pageInfo { endCursor } } }",
        ),
      ).projectsConnection;
      for (const after of [byStatus.pageInfo.endCursor, "YXJyYXljb25uZWN0aW9uOjQ5", "not a cursor", ""]) {
        const response = await page(after);
        expect(response.errors?.[0]?.extensions, String(after)).toMatchObject({
          code: "BAD_USER_INPUT",
          argumentName: "after",
        });
      }
    });
  });

  describe("issue 14.3: a connection read without `first` says whether rows remain", () => {
    it("gives the default page of 50 with hasNextPage true, and its cursors reach every project", async () => {
      const data = await query<{ projectsConnection: Connection }>(
        `{ projectsConnection { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      );
      expect(data.projectsConnection.totalCount).toBe(projectCount);
      expect(data.projectsConnection.edges).toHaveLength(50);
      expect(data.projectsConnection.pageInfo.hasNextPage).toBe(true);
      const all = await walkCursors(undefined, undefined);
      expect(new Set(all.map((edge) => edge.node.id)).size).toBe(projectCount);
    });

    it("first: 0 gives no edges but the true hasNextPage (it used to return every row)", async () => {
      const data = await query<{ projectsConnection: Connection }>(
        `{ projectsConnection(first: 0) { totalCount pageInfo { hasNextPage } edges { node { id } } } }`,
      );
      expect(data.projectsConnection.edges).toHaveLength(0);
      expect(data.projectsConnection.pageInfo.hasNextPage).toBe(true);
    });

    it("the last page says hasNextPage false", async () => {
      const data = await query<{ projectsConnection: Connection }>(
        `{ projectsConnection(first: 500) { totalCount pageInfo { hasNextPage endCursor } } }`,
      );
      const rest = await query<{ projectsConnection: Connection }>(
        `query Rest($after: String) { projectsConnection(first: 500, after: $after) { pageInfo { hasNextPage } edges { node { id } } } }`,
        { after: data.projectsConnection.pageInfo.endCursor },
      );
      expect(rest.projectsConnection.edges).toHaveLength(projectCount - 500);
      expect(rest.projectsConnection.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe("issue 14.4: the page-size limit holds however the value arrives", () => {
    const oversized: [string, string, Record<string, unknown> | undefined, string][] = [
      ["a literal", "{ projects(limit: 100000) { id } }", undefined, "limit"],
      ["a variable", "query Big($n: Int) { projects(limit: $n) { id } }", { n: 100000 }, "limit"],
      [
        "a variable's default value",
        "query Big($n: Int = 100000) { projects(limit: $n) { id } }",
        undefined,
        "limit",
      ],
      [
        "a fragment with a variable's default",
        "query Big($n: Int = 501) { ...Many } fragment Many on Query { projectsConnection(first: $n) { totalCount } }",
        undefined,
        "first",
      ],
      [
        "a nested field in a fragment",
        "{ organisations(limit: 1) { ...P } } fragment P on Organisation { projects(limit: 600) { id } }",
        undefined,
        "limit",
      ],
      [
        "a search field",
        'query S($n: Int = 1000) { searchProjects(phrase: "cancer", first: $n) { totalCount } }',
        undefined,
        "first",
      ],
    ];
    it.each(oversized)(
      "refuses an oversized page given as %s with 400 BAD_USER_INPUT",
      async (_how, q, variables, argumentName) => {
        const response = await post(q, variables);
        expect(response.status).toBe(400);
        expect(response.data ?? null).toBeNull();
        expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
      },
    );

    const negative: [string, string][] = [
      ["{ projects(offset: -1) { id } }", "offset"],
      ["{ projects(limit: 0) { id } }", "limit"],
      ["query N($n: Int = -5) { projectsConnection(first: $n) { totalCount } }", "first"],
    ];
    it.each(negative)(
      "refuses %s (was an internal error or every row) with BAD_USER_INPUT",
      async (q, argumentName) => {
        const response = await post(q);
        expect(response.status).toBe(400);
        expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
      },
    );

    it("answers a page of exactly the maximum, from a variable's default", async () => {
      const data = await query<{ projects: { id: string }[] }>(
        "query Max($n: Int = 500) { projects(limit: $n) { id } }",
      );
      expect(data.projects).toHaveLength(500);
    });
  });
});
