import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ProjectsPageDocument, SearchFundersDocument } from "../src/generated/operations.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { InputValidationError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { EXAMPLE_VARIABLES, splitOperations } from "../web/src/example-operations.js";
import { cents, readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, graphFingerprint, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");
const cordisDir = path.join(defaultSeedDir(), "cordis", "horizon");

describe("the knowledge graph after `npm start` on an empty store", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const query = <T = Record<string, unknown>>(q: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(atlas.http.url, q, variables).then(expectData);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    atlas = await startAtlas(testConfig({ autoSeed: true }), log);
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  it("was seeded at start-up, because the store was empty", async () => {
    expect(await count(driver, "MATCH (c:Consortium {id: 'consortium:icpermed'}) RETURN count(c)")).toBe(1);
    // 515 projects in seed/cordis/horizon/project.csv (SOURCES.md table) plus the curated CSAs.
    expect(
      await count(driver, "MATCH (p:Project) WHERE p.id IN $ids RETURN count(p)", {
        ids: readCordisCsv(path.join(cordisDir, "project.csv")).map((row) => `cordis:${row.id}`),
      }),
    ).toBe(515);
  });

  const typeQueries: [string, string][] = [
    ["countries", "code name population"],
    ["funders", "name kind"],
    ["consortia", "name kind"],
    ["governanceBodies", "name kind"],
    ["programmes", "name kind"],
    ["projects", "title"],
    ["organisations", "name"],
    ["coordinationActions", "title"],
    ["stakeholders", "name category"],
    ["recognitions", "name year"],
    ["events", "name kind"],
    ["publications", "title kind"],
    ["topics", "name scheme"],
    ["sources", "title"],
  ];
  it.each(typeQueries)(
    "answers a query for %s with data, each record with its sources",
    async (field, selection) => {
      const sourcesSelection = field === "sources" ? "" : "sources { id }";
      const data = await query<Record<string, { id: string; sources?: { id: string }[] }[]>>(
        `{ ${field}(limit: 5) { id ${selection} ${sourcesSelection} } }`,
      );
      const records = data[field]!;
      expect(records.length).toBeGreaterThan(0);
      if (field !== "sources")
        for (const record of records) expect(record.sources!.length).toBeGreaterThan(0);
    },
  );

  // Each relationship type of the model, read through the API field that follows it.
  const relationshipQueries: [string, string, string][] = [
    ["BASED_IN", "funders", "country { id }"],
    ["MEMBER_OF", "funders", "consortia { id }"],
    ["PART_OF", "governanceBodies", "consortium { id }"],
    ["SITS_ON", "governanceBodies", "funders { id }"],
    ["FUNDED_BY", "programmes", "funders { id }"],
    ["RUN_BY", "programmes", "runBy { id }"],
    ["COVERS", "programmes", "topics { id }"],
    ["FUNDED_UNDER", "projects", "programmes { id }"],
    ["PARTICIPATES_IN", "projects", "participants { id }"],
    ["ADDRESSES", "projects", "topics { id }"],
    ["LOCATED_IN", "organisations", "country { id }"],
    ["SUPPORTS", "coordinationActions", "supports { id }"],
    ["AWARDED_BY", "recognitions", "awardedBy { id }"],
    [
      "AWARDED_TO",
      "recognitions",
      "awardedTo { __typename ... on Organisation { id } ... on Stakeholder { id } ... on Project { id } }",
    ],
    [
      "ORGANISED_BY",
      "events",
      "organisedBy { __typename ... on Consortium { id } ... on CoordinationAction { id } }",
    ],
    [
      "PUBLISHED_BY",
      "publications",
      "publishedBy { __typename ... on Consortium { id } ... on CoordinationAction { id } }",
    ],
    ["SOURCED_FROM", "countries", "sources { id }"],
  ];
  it.each(relationshipQueries)("follows %s through %s", async (type, field, selection) => {
    const data = await query<Record<string, Record<string, unknown[]>[]>>(
      `{ ${field}(limit: 500) { id ${selection} } }`,
    );
    const relationField = selection.split(" ")[0]!;
    const linked = data[field]!.filter((record) => record[relationField]!.length > 0);
    expect(linked.length).toBeGreaterThan(0);
    expect(await count(driver, `MATCH ()-[r:${type}]->() RETURN count(r)`)).toBeGreaterThan(0);
  });

  it("returns the hand-checked facts of the curated seed", async () => {
    const data = await query<{
      funders: { acronym: string; country: { code: string }[] }[];
      consortia: { membersConnection: { totalCount: number } }[];
      countries: { population: number; populationYear: number; populationIn: number | null }[];
    }>(`{
      funders(where: { id: { eq: "funder:isciii" } }) { acronym country { code } }
      consortia(where: { id: { eq: "consortium:era-permed" } }) { membersConnection { totalCount } }
      countries(where: { id: { eq: "country:DE" } }) { population populationYear populationIn(year: 2022) }
    }`);
    // erapermed_consortium_funders_partial.csv: ISCIII, SPAIN.
    expect(data.funders).toEqual([{ acronym: "ISCIII", country: [{ code: "ES" }] }]);
    // The funders the seed files make ERA PerMed members: the BMBF page's 11, ASRT (Egypt), which joined
    // on 2019-01-18 (JTC2019 row), and NORGES FORSKNINGSRÅD (NRC's EU-grants file, issue 17).
    const eraPerMedMembers = readdirSync(defaultSeedDir())
      .filter((name) => name.endsWith(".yaml"))
      .flatMap((name) => {
        const file = parseYaml(readFileSync(path.join(defaultSeedDir(), name), "utf8")) as {
          funders?: { memberOf?: { consortium: string }[] }[];
        };
        return (file.funders ?? []).filter((f) =>
          f.memberOf?.some((m) => m.consortium === "consortium:era-permed"),
        );
      });
    expect(eraPerMedMembers.length).toBeGreaterThan(12);
    expect(data.consortia[0]!.membersConnection.totalCount).toBe(eraPerMedMembers.length);
    // population.csv: "Germany,DEU,2024,83516593" and "Germany,DEU,2022,83177813".
    expect(data.countries).toEqual([{ population: 83516593, populationYear: 2024, populationIn: 83177813 }]);
  });

  // The playground opens these as tabs: each must answer on the seed with its default variables.
  const operationsDir = path.join(projectRoot(), "schema", "operations");
  const exampleOperations = readdirSync(operationsDir)
    .filter((file) => file.endsWith(".graphql"))
    .flatMap((file) => splitOperations(readFileSync(path.join(operationsDir, file), "utf8")));
  it("has the example operations the playground promises", () => {
    expect(exampleOperations.map((operation) => operation.name)).toEqual(
      expect.arrayContaining([
        "FunderById",
        "SearchProjects",
        "ProjectsPage",
        "CountryNetwork",
        "FundingGaps",
      ]),
    );
  });
  it.each(exampleOperations.map((operation) => [operation.name, operation.query]))(
    "answers the playground's example %s with its default variables",
    async (name, text) => {
      const data = await query<Record<string, unknown>>(text, EXAMPLE_VARIABLES[name]);
      // Every top-level answer has content: a non-empty list, or an object with a non-empty list.
      for (const [field, value] of Object.entries(data)) {
        const lists = Array.isArray(value)
          ? [value]
          : Object.values(value as object).filter((inner) => Array.isArray(inner));
        expect(
          lists.some((list) => (list as unknown[]).length > 0),
          `${name}: ${field} is empty`,
        ).toBe(true);
      }
    },
  );

  it("finds a funder by one word of its name (full-text)", async () => {
    const data = expectData(await postGraphQL(atlas.http.url, SearchFundersDocument, { phrase: "Carlos" }));
    expect(data.searchFunders.edges.map((edge) => edge.node.id)).toEqual(["funder:isciii"]);
  });

  it("filters, sorts and pages through projects with cursors", async () => {
    // Independently: projects starting in 2024 or later, by start date then id.
    const expected = readCordisCsv(path.join(cordisDir, "project.csv"))
      .filter((row) => row.startDate >= "2024-01-01")
      .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id))
      .map((row) => `cordis:${row.id}`);
    const page = (after?: string | null) =>
      postGraphQL(atlas.http.url, ProjectsPageDocument, { fromYear: 2024, first: 7, after }).then(expectData);
    const first = await page();
    const second = await page(first.projectsConnection.pageInfo.endCursor);
    expect(first.projectsConnection.totalCount).toBe(expected.length);
    expect(first.projectsConnection.pageInfo.hasNextPage).toBe(true);
    expect(
      [...first.projectsConnection.edges, ...second.projectsConnection.edges].map((e) => e.node.id),
    ).toEqual(expected.slice(0, 14));
  });

  it("aggregates participations: count and sum of contributions", async () => {
    const rows = readCordisCsv(path.join(cordisDir, "organization.csv")).filter(
      (row) => row.projectID === "101137129",
    );
    const expectedCents = rows.reduce((sum, row) => sum + cents(row.ecContribution), 0);
    const data = await query<{
      projects: {
        participantsConnection: {
          aggregate: { count: { edges: number }; edge: { contribution: { sum: number } } };
        };
      }[];
    }>(`{
      projects(where: { id: { eq: "cordis:101137129" } }) {
        participantsConnection { aggregate { count { edges } edge { contribution { sum } } } }
      }
    }`);
    const aggregate = data.projects[0]!.participantsConnection.aggregate;
    expect(aggregate.count.edges).toBe(rows.length);
    expect(Math.round(aggregate.edge.contribution.sum * 100)).toBe(expectedCents);
  });

  describe("write access", () => {
    const mutation = `mutation { createTopics(input: [{ id: "topic:test-write", name: "Test write", scheme: "ATLAS" }]) { topics { id } } }`;

    it("refuses a mutation without a token, and writes nothing", async () => {
      const response = await postGraphQL(atlas.http.url, mutation);
      // Refused before anything runs (issue 15): HTTP 401 and no data.
      expect(response.status).toBe(401);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(await count(driver, "MATCH (t:Topic {id: 'topic:test-write'}) RETURN count(t)")).toBe(0);
    });

    it("refuses a token without the admin role, and writes nothing", async () => {
      const response = await postGraphQL(atlas.http.url, mutation, undefined, {
        authorization: `Bearer ${await adminToken({ roles: ["reader"] })}`,
      });
      expect(response.status).toBe(403);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(await count(driver, "MATCH (t:Topic {id: 'topic:test-write'}) RETURN count(t)")).toBe(0);
    });

    it("accepts a mutation with an admin token", async () => {
      const response = await postGraphQL<{ createTopics: { topics: { id: string }[] } }>(
        atlas.http.url,
        mutation,
        undefined,
        {
          authorization: `Bearer ${await adminToken()}`,
        },
      );
      expect(expectData(response).createTopics.topics).toEqual([{ id: "topic:test-write" }]);
      await driver.executeQuery("MATCH (t:Topic {id: 'topic:test-write'}) DETACH DELETE t");
    });
  });

  describe("reloading the seed", () => {
    it("twice changes nothing", async () => {
      const before = await graphFingerprint(driver);
      await loadSeed(driver, "neo4j", log);
      const after = await graphFingerprint(driver);
      expect(after).toEqual(before);
    });

    it("with a bad field fails with file:line: field and leaves the graph as it was", async () => {
      const before = await graphFingerprint(driver);
      const broken = mkdtempSync(path.join(os.tmpdir(), "atlas-seed-"));
      try {
        cpSync(defaultSeedDir(), broken, { recursive: true });
        const file = path.join(broken, "icpermed.yaml");
        const lines = readFileSync(file, "utf8").split("\n");
        const index = lines.findIndex((line) => line.trim() === "id: consortium:era-permed");
        const foundedIndex = lines.findIndex((line, i) => i > index && line.trim().startsWith("founded:"));
        lines[foundedIndex] = lines[foundedIndex]!.replace(/founded: .*/, "founded: twenty-seventeen");
        writeFileSync(file, lines.join("\n"));

        const attempt = loadSeed(driver, "neo4j", log, broken);
        await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
        await expect(attempt).rejects.toThrow(
          new RegExp(`icpermed\\.yaml:${foundedIndex + 1}: consortia\\[\\d+\\]\\.founded: `),
        );
        expect(await graphFingerprint(driver)).toEqual(before);
      } finally {
        rmSync(broken, { recursive: true, force: true });
      }
    });
  });
});
