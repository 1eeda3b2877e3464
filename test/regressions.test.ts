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
 * The faults the fuzz test found (issue 12), one test each, named after the fault: each was an
 * INTERNAL_SERVER_ERROR for a request that is the client's mistake, or a well-formed one.
 */
describe("faults found by the fuzz test (issue 12)", () => {
  let atlas: RunningAtlas;
  let driver: Driver;
  let admin: Record<string, string>;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    atlas = await startAtlas(testConfig({ environment: "production" }), createLogger("silent"));
    admin = { authorization: `Bearer ${await adminToken()}` };
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  it.each([
    ["a literal", "{ projects(offset: -1) { id } }", {}],
    ["a variable", "query Q($o: Int) { projects(offset: $o) { id } }", { o: -5 }],
    ["a variable's default value", "query Q($o: Int = -2147483648) { funders(offset: $o) { id } }", {}],
    [
      "a nested connection's first",
      "{ funders(limit: 1) { programmesConnection(first: -1) { totalCount } } }",
      {},
    ],
  ])(
    "negative offset or first from %s: 400 BAD_USER_INPUT naming the argument",
    async (_how, query, variables) => {
      const response = await postGraphQL(atlas.http.url, query, variables);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(["offset", "first"]).toContain(response.errors?.[0]?.extensions?.argumentName);
    },
  );

  it.each([
    ["edges { node { __typename } }", "{ topicsConnection { edges { node { __typename } } } }"],
    ["aggregate { node { __typename } }", "{ projectsConnection { aggregate { node { __typename } } } }"],
  ])(
    "a selection of only __typename (%s) is a validation error, not invalid Cypher",
    async (_shape, query) => {
      const response = await postGraphQL(atlas.http.url, query);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(response.errors?.[0]?.message).toMatch(/^Select at least one field besides __typename in "/);
    },
  );

  it("the root { __typename } still answers (health checks use it)", async () => {
    expect((await postGraphQL(atlas.http.url, "{ __typename }")).data).toEqual({ __typename: "Query" });
  });

  it.each([
    [
      "a field and its _SET form in one update",
      'mutation { updateTopics(where: { id: { eq: "topic:cancer" } }, update: { description: {}, description_SET: "x" }) { topics { id } } }',
    ],
    [
      "a nested relationship input without create or connect",
      'mutation { createTopics(input: [{ id: "topic:regression", name: "x", scheme: "ATLAS", projects: {} }]) { topics { id } } }',
    ],
    [
      "an id that another entity already has",
      'mutation { createTopics(input: [{ id: "country:DE", name: "x", scheme: "ATLAS" }]) { topics { id } } }',
    ],
    [
      "an aggregation filter inside the mutation's selection",
      "mutation { createGovernanceBodies(input: []) { governanceBodies { consortium(where: { bodiesAggregate: { count_EQ: 0 } }) { id } } } }",
    ],
    // Arithmetic the database refuses (found by the fuzz test): division by zero, a Float past the
    // largest double, and an Int that would leave the 32-bit range the API can serve back.
    [
      "a division by zero",
      'mutation { updateCoordinationActions(where: { id: { eq: "cordis:964197" } }, update: { euContribution: { divide: 0 } }) { coordinationActions { id } } }',
    ],
    [
      "a Float multiplied past the largest double",
      'mutation { updateCoordinationActions(where: { id: { eq: "cordis:964197" } }, update: { euContribution: { multiply: 1.7976931348623157e308 } }) { coordinationActions { id } } }',
    ],
    [
      "an Int incremented past 2147483647",
      'mutation { updateConsortia(where: { id: { eq: "consortium:icpermed" } }, update: { founded: { add: 2147483647 } }) { consortia { id } } }',
    ],
  ])("a write with %s is BAD_USER_INPUT and changes nothing", async (_what, mutation) => {
    const before = await graphFingerprint(driver);
    const response = await postGraphQL(atlas.http.url, mutation, undefined, admin);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.message).not.toMatch(/Unexpected error|MATCH|create_/);
    expect((await graphFingerprint(driver)).checksum).toBe(before.checksum);
  });

  it("a node created through the API carries the label Entity, so ids stay unique graph-wide", async () => {
    const response = await postGraphQL(
      atlas.http.url,
      'mutation { createTopics(input: [{ id: "topic:regression-entity", name: "x", scheme: "ATLAS" }]) { topics { id } } }',
      undefined,
      admin,
    );
    expect(response.data).toEqual({ createTopics: { topics: [{ id: "topic:regression-entity" }] } });
    const { records } = await driver.executeQuery(
      "MATCH (n:Entity {id: 'topic:regression-entity'}) RETURN labels(n) AS labels",
      {},
      { database: TEST_DATABASE },
    );
    expect(records.map((r) => [...(r.get("labels") as string[])].sort())).toEqual([["Entity", "Topic"]]);
  });
});
