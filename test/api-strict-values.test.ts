import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSeed } from "../src/import/seed/load-seed.js";
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

const log = createLogger("silent");

describe("issue 16 (strict values) through the API: impossible dates are refused, not moved to another day", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let admin: Record<string, string>;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await loadSeed(driver, TEST_DATABASE, log);
    atlas = await startAtlas(testConfig({ environment: "production" }), log);
    admin = { authorization: `Bearer ${await adminToken()}` };
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  const project = "cordis:964197";
  it.each([
    [
      "a literal in an update",
      `mutation { updateProjects(where: { id: { eq: "${project}" } }, update: { startDate: { set: "2022-04-31" } }) { projects { id } } }`,
      {},
      "update.startDate.set",
    ],
    [
      "a variable",
      `mutation M($d: Date) { updateProjects(where: { id: { eq: "${project}" } }, update: { startDate: { set: $d } }) { projects { id } } }`,
      { d: "2021-02-29" },
      "update.startDate.set",
    ],
    [
      "a variable's default value",
      `mutation M($d: Date = "2023-02-30") { updateProjects(where: { id: { eq: "${project}" } }, update: { endDate: { set: $d } }) { projects { id } } }`,
      {},
      "update.endDate.set",
    ],
    [
      "a date-time at 24:00 in a create",
      `mutation { createProjects(input: [{ id: "test:strict", title: "t", startDate: "2023-02-28T24:00:00" }]) { projects { id } } }`,
      {},
      "input[0].startDate",
    ],
    [
      "a month 13 inside a whole input object variable",
      "mutation M($input: [ProjectCreateInput!]!) { createProjects(input: $input) { projects { id } } }",
      { input: [{ id: "test:strict", title: "t", endDate: "2023-13-01" }] },
      "input[0].endDate",
    ],
  ])(
    "a write with an impossible date as %s is BAD_USER_INPUT naming it, and changes nothing",
    async (_how, query, variables, path) => {
      const before = await graphFingerprint(driver);
      const response = await postGraphQL(atlas.http.url, query, variables, admin);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: path });
      expect((await graphFingerprint(driver)).checksum).toBe(before.checksum);
    },
  );

  it.each([
    [
      "a literal",
      '{ projects(where: { startDate: { gt: "2023-02-30" } }, limit: 1) { id } }',
      {},
      "where.startDate.gt",
    ],
    [
      "a variable inside an OR",
      "query Q($d: Date) { projects(where: { OR: [{ startDate: { eq: $d } }] }, limit: 1) { id } }",
      { d: "2022-04-31" },
      "where.OR[0].startDate.eq",
    ],
    [
      "an unpadded date",
      'query { projectsConnection(where: { endDate: { lt: "2023-1-5" } }) { totalCount } }',
      {},
      "where.endDate.lt",
    ],
  ])(
    "a filter with an impossible date as %s is BAD_USER_INPUT, not another day's answer",
    async (_how, query, variables, path) => {
      const response = await postGraphQL(atlas.http.url, query, variables);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: path });
    },
  );

  it("a real leap day is a date like any other", async () => {
    const response = await postGraphQL<{ projects: { id: string }[] }>(
      atlas.http.url,
      '{ projects(where: { startDate: { eq: "2024-02-29" } }, limit: 1) { id } }',
    );
    expect(response.errors).toBeUndefined();
  });

  it("startYear follows startDate whoever writes it; without a date it is what was written", async () => {
    const created = await postGraphQL(
      atlas.http.url,
      'mutation { createProjects(input: [{ id: "test:year-a", title: "a", startDate: "2031-05-01" }, { id: "test:year-b", title: "b", startYear: 2030 }]) { projects { id startYear } } }',
      {},
      admin,
    );
    expect(created.errors).toBeUndefined();
    // The write's own answer gives the stored year too (it used to answer null for year-a).
    const answered = (response: unknown) =>
      Object.fromEntries(
        Object.values(
          (response as { data: Record<string, { projects: { id: string; startYear: number | null }[] }> })
            .data,
        )[0]!.projects.map((p) => [p.id, p.startYear]),
      );
    expect(answered(created)).toEqual({ "test:year-a": 2031, "test:year-b": 2030 });
    const year = async (id: string) =>
      (
        await driver.executeQuery(
          "MATCH (p:Project {id: $id}) RETURN p.startYear AS year",
          { id },
          { database: TEST_DATABASE },
        )
      ).records[0]?.get("year") as { toNumber(): number } | null;
    expect((await year("test:year-a"))?.toNumber()).toBe(2031);
    expect((await year("test:year-b"))?.toNumber()).toBe(2030);

    // A year that contradicts the date is corrected to the date's year; a new date moves the year.
    const contradicted = await postGraphQL(
      atlas.http.url,
      'mutation { updateProjects(where: { id: { eq: "test:year-a" } }, update: { startYear: { set: 2015 } }) { projects { id startYear } } }',
      {},
      admin,
    );
    expect((await year("test:year-a"))?.toNumber()).toBe(2031);
    expect(answered(contradicted)).toEqual({ "test:year-a": 2031 });
    const moved = await postGraphQL(
      atlas.http.url,
      'mutation { updateProjects(where: { id: { eq: "test:year-b" } }, update: { startDate: { set: "2027-12-31" } }) { projects { id startYear } } }',
      {},
      admin,
    );
    expect((await year("test:year-b"))?.toNumber()).toBe(2027);
    expect(answered(moved)).toEqual({ "test:year-b": 2027 });
  });
});
