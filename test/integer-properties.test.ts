import path from "node:path";
import { Kind, parse, type TypeNode } from "graphql";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { integerProperties } from "../src/model/integer-properties.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");

/**
 * The Int fields of the schema, read here from schema/*.graphql with graphql-js alone (not with the
 * writer's integerProperties): `@node` types by label, `@relationshipProperties` types by the
 * relationship types whose `@relationship(properties:)` names them.
 */
function schemaInts(): { nodes: [string, string][]; relationships: [string, string][] } {
  const isInt = (type: TypeNode): boolean =>
    type.kind === Kind.NAMED_TYPE ? type.name.value === "Int" : isInt(type.type);
  const nodes: [string, string][] = [];
  const byPropertiesType = new Map<string, string[]>();
  const relationshipTypes: [string, string][] = [];
  for (const definition of parse(loadTypeDefs()).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const directives = new Set(definition.directives?.map((d) => d.name.value));
    const ints = (definition.fields ?? [])
      .filter((field) => isInt(field.type) && !field.directives?.some((d) => d.name.value === "cypher"))
      .map((field) => field.name.value);
    if (directives.has("node")) for (const field of ints) nodes.push([definition.name.value, field]);
    if (directives.has("relationshipProperties")) byPropertiesType.set(definition.name.value, ints);
    for (const field of definition.fields ?? []) {
      const relationship = field.directives?.find((d) => d.name.value === "relationship");
      const value = (name: string) => {
        const node = relationship?.arguments?.find((a) => a.name.value === name)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      if (value("type") && value("properties"))
        relationshipTypes.push([value("type")!, value("properties")!]);
    }
  }
  const relationships = new Set<string>();
  for (const [type, properties] of relationshipTypes)
    for (const field of byPropertiesType.get(properties) ?? []) relationships.add(`${type}\u0000${field}`);
  return { nodes, relationships: [...relationships].map((key) => key.split("\u0000") as [string, string]) };
}

const INTEGER_TYPES = new Set(["INTEGER NOT NULL", "LIST<INTEGER NOT NULL> NOT NULL"]);

/** For every Int field of the schema: the value types stored (non-null values only), by field. */
async function storedTypes(driver: Driver): Promise<Map<string, string[]>> {
  const { nodes, relationships } = schemaInts();
  const result = new Map<string, string[]>();
  for (const [label, field] of nodes) {
    const { records } = await driver.executeQuery(
      `MATCH (n:\`${label}\`) WHERE n.\`${field}\` IS NOT NULL RETURN collect(DISTINCT valueType(n.\`${field}\`)) AS types`,
      {},
      { database: TEST_DATABASE },
    );
    result.set(`${label}.${field}`, records[0]!.get("types") as string[]);
  }
  for (const [type, field] of relationships) {
    const { records } = await driver.executeQuery(
      `MATCH ()-[r:\`${type}\`]->() WHERE r.\`${field}\` IS NOT NULL RETURN collect(DISTINCT valueType(r.\`${field}\`)) AS types`,
      {},
      { database: TEST_DATABASE },
    );
    result.set(`${type}.${field}`, records[0]!.get("types") as string[]);
  }
  return result;
}

/** The fields whose stored values are not all Neo4j integers, with what they are instead. */
async function floatFields(driver: Driver): Promise<Record<string, string[]>> {
  const types = await storedTypes(driver);
  return Object.fromEntries(
    [...types]
      .filter(([, list]) => list.some((type) => !INTEGER_TYPES.has(type)))
      .map(([field, list]) => [field, list]),
  );
}

/** The fields that hold at least one value: the check above means something only for them. */
async function filledFields(driver: Driver): Promise<string[]> {
  return [...(await storedTypes(driver))].filter(([, list]) => list.length > 0).map(([field]) => field);
}

describe("issue 13.1: every Int of the schema is a Neo4j INTEGER in the store, whichever path wrote it (seed, CORDIS, OpenAIRE, mutations)", () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
  });
  afterAll(() => driver.close());

  it("the writer's list of Int properties is the schema's", () => {
    const { nodes, relationships } = schemaInts();
    const derived = integerProperties();
    expect(nodes.map(([label, field]) => derived.nodes.get(label)?.has(field))).not.toContain(false);
    expect(relationships.map(([type, field]) => derived.relationships.get(type)?.has(field))).not.toContain(
      false,
    );
    // The fields of the issue, so that a schema read wrongly (finding nothing) fails here.
    expect(nodes).toEqual(
      expect.arrayContaining([
        ["Project", "startYear"],
        ["Country", "populationYear"],
        ["Country", "populationYears"],
      ]),
    );
    expect(relationships).toEqual(
      expect.arrayContaining([
        ["PARTICIPATES_IN", "order"],
        ["MEMBER_OF", "since"],
      ]),
    );
  });

  it("after a seed", async () => {
    await loadSeed(driver, TEST_DATABASE, log);
    expect(await floatFields(driver)).toEqual({});
    expect(await filledFields(driver)).toEqual(
      expect.arrayContaining([
        "Project.startYear",
        "Programme.startYear",
        "Country.populationYear",
        "Country.populationYears",
        "Consortium.founded",
        "Recognition.year",
        "PARTICIPATES_IN.order",
        "MEMBER_OF.since",
      ]),
    );
  });

  it("after a CORDIS import into an empty store", async () => {
    await clearDatabase(driver);
    const seedDir = defaultSeedDir();
    await runCordisImport(
      driver,
      TEST_DATABASE,
      path.join(seedDir, "cordis", "horizon"),
      { countries: readCountryReference(path.join(seedDir, "reference")), dryRun: false, strict: true },
      log,
    );
    expect(await floatFields(driver)).toEqual({});
    expect(await filledFields(driver)).toEqual(
      expect.arrayContaining(["Project.startYear", "Programme.startYear", "PARTICIPATES_IN.order"]),
    );
  });

  // The OpenAIRE importer (issue 21) writes projects through staging and a publish statement of its
  // own: a path the checks above never took, so a float startYear from it would have gone unseen.
  it("after an OpenAIRE import into an empty store (both real sample layouts)", async () => {
    await clearDatabase(driver);
    const seedDir = defaultSeedDir();
    const report = await runOpenAireImport(
      driver,
      TEST_DATABASE,
      path.resolve("test/fixtures/openaire"),
      {
        countries: readCountryReference(path.join(seedDir, "reference")),
        dryRun: false,
        strict: false,
        displayRoot: "/",
      },
      log,
    );
    expect(report.counts.projectsAdded).toBeGreaterThan(0);
    expect(await floatFields(driver)).toEqual({});
    expect(await filledFields(driver)).toEqual(
      expect.arrayContaining([
        "Project.startYear",
        "ImportRun.rowsRead",
        "ImportRun.projectsAdded",
        "ImportFile.rows",
      ]),
    );
  });

  describe("after mutations", () => {
    let atlas: RunningAtlas;
    beforeAll(async () => {
      await clearDatabase(driver);
      atlas = await startAtlas(testConfig(), log);
    });
    afterAll(() => atlas.stop());

    it("create and update of nodes and relationship properties", async () => {
      const headers = { authorization: `Bearer ${await adminToken()}` };
      const mutate = (query: string) => postGraphQL(atlas.http.url, query, {}, headers).then(expectData);
      await mutate(`mutation {
        createCountries(input: [{ id: "country:ZZ", code: "ZZ", name: "Testland", populationYear: 2023, populationYears: [2022, 2023] }]) { countries { id } }
        createOrganisations(input: [{ id: "org:int-test", name: "Int test",
          projects: { create: [{ node: { id: "cordis:int-test", title: "Int test", startYear: 2024 }, edge: { role: "PARTNER", order: 3 } }] } }]) { organisations { id } }
      }`);
      await mutate(`mutation {
        updateProjects(where: { id: { eq: "cordis:int-test" } }, update: { startYear: { set: 2025 } }) { projects { id } }
      }`);
      expect(await floatFields(driver)).toEqual({});
      expect(await filledFields(driver)).toEqual(
        expect.arrayContaining([
          "Project.startYear",
          "Country.populationYear",
          "Country.populationYears",
          "PARTICIPATES_IN.order",
        ]),
      );
    });

    it("the check can fail: a float written by hand is reported", async () => {
      await driver.executeQuery(
        "MATCH (p:Project {id: 'cordis:int-test'}) SET p.startYear = 2025.0",
        {},
        { database: TEST_DATABASE },
      );
      expect(await floatFields(driver)).toEqual({ "Project.startYear": ["FLOAT NOT NULL"] });
    });
  });
});
