import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, planSchema, RANGE_INDEXED, schemaStatements } from "../src/db/schema-setup.js";
import { buildAtlasSchema } from "../src/graphql/build-schema.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { TEST_DATABASE, testDriver } from "./helpers/database.js";

const sample = /* GraphQL */ `
  type Funder @node @fulltext(indexes: [{ indexName: "FunderSearch", queryName: "searchFunders", fields: ["name", "acronym"] }]) {
    id: ID!
    name: String!
    acronym: String
  }
  type Grant @node(labels: ["Project", "Grant"]) {
    id: ID!
  }
  type NoIdentity @node {
    name: String
  }
  type NotANode {
    id: ID!
  }
`;

describe("database schema derived from the type definitions", () => {
  it("asks for a unique id per node label and one fulltext index per @fulltext entry", () => {
    expect(schemaStatements(sample)).toEqual([
      {
        name: "Entity_id_unique",
        cypher: "CREATE CONSTRAINT Entity_id_unique IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
      },
      {
        name: "DataVersion_id_unique",
        cypher:
          "CREATE CONSTRAINT DataVersion_id_unique IF NOT EXISTS FOR (n:DataVersion) REQUIRE n.id IS UNIQUE",
      },
      {
        name: "Funder_id_unique",
        cypher: "CREATE CONSTRAINT Funder_id_unique IF NOT EXISTS FOR (n:`Funder`) REQUIRE n.id IS UNIQUE",
      },
      // Funder.name is in RANGE_INDEXED and the type has it.
      {
        name: "Funder_name",
        cypher: "CREATE INDEX Funder_name IF NOT EXISTS FOR (n:`Funder`) ON (n.`name`)",
      },
      {
        name: "FunderSearch",
        cypher:
          "CREATE FULLTEXT INDEX FunderSearch IF NOT EXISTS FOR (n:`Funder`) ON EACH [n.`name`, n.`acronym`] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-folding' } }",
        fulltext: { label: "Funder", properties: ["name", "acronym"], analyzer: "standard-folding" },
      },
      {
        name: "Project_id_unique",
        cypher: "CREATE CONSTRAINT Project_id_unique IF NOT EXISTS FOR (n:`Project`) REQUIRE n.id IS UNIQUE",
      },
    ]);
  });

  it("finds every range-indexed property in the product's type definitions (a renamed field fails here)", () => {
    const wanted = Object.entries(RANGE_INDEXED).flatMap(([label, fields]) =>
      fields.map((field) => `${label}_${field}`),
    );
    const derived = schemaStatements(loadTypeDefs()).map((statement) => statement.name);
    expect(derived).toEqual(expect.arrayContaining(wanted));
  });

  describe("against Neo4j", () => {
    let driver: Driver;
    beforeAll(() => {
      driver = testDriver();
    });
    afterAll(() => driver.close());

    const names = async (show: string) => {
      const { records } = await driver.executeQuery(
        `${show} YIELD name RETURN name ORDER BY name`,
        {},
        { database: TEST_DATABASE },
      );
      return records.map((r) => r.get("name") as string);
    };

    it("creates every constraint of the product's schema, and a second run changes nothing", async () => {
      const statements = schemaStatements(loadTypeDefs());
      await applySchema(driver, TEST_DATABASE, statements);
      const constraintsAfterFirst = await names("SHOW CONSTRAINTS");
      const indexesAfterFirst = await names("SHOW INDEXES");
      await applySchema(driver, TEST_DATABASE, statements);
      expect(await names("SHOW CONSTRAINTS")).toEqual(constraintsAfterFirst);
      expect(await names("SHOW INDEXES")).toEqual(indexesAfterFirst);
      expect(constraintsAfterFirst).toEqual(
        expect.arrayContaining([
          "Entity_id_unique",
          "Country_id_unique",
          "Source_id_unique",
          "Project_id_unique",
        ]),
      );
      expect(indexesAfterFirst).toEqual(expect.arrayContaining(["Project_startYear", "Topic_scheme"]));
    });

    // The server's start relies on both: it sends nothing when the plan is empty, and it does not run
    // the library's own assertion.
    it("plans nothing once applied, and @neo4j/graphql finds every index it needs", async () => {
      const typeDefs = loadTypeDefs();
      const statements = schemaStatements(typeDefs);
      await applySchema(driver, TEST_DATABASE, statements);
      expect(await planSchema(driver, TEST_DATABASE, statements)).toEqual({
        drop: [],
        create: [],
        awaitIndexes: false,
      });
      const { neo4jGraphQL } = await buildAtlasSchema({ typeDefs, jwtSecret: "x".repeat(32) });
      await expect(
        neo4jGraphQL.assertIndexesAndConstraints({ driver, sessionConfig: { database: TEST_DATABASE } }),
      ).resolves.toBeUndefined();
    });

    it("plans a missing constraint and a full-text index built with another analyzer", async () => {
      const statements = schemaStatements(loadTypeDefs());
      await applySchema(driver, TEST_DATABASE, statements);
      await driver.executeQuery("DROP CONSTRAINT Topic_id_unique", {}, { database: TEST_DATABASE });
      await driver.executeQuery("DROP INDEX OrganisationSearch", {}, { database: TEST_DATABASE });
      await driver.executeQuery(
        "CREATE FULLTEXT INDEX OrganisationSearch FOR (n:Organisation) ON EACH [n.name] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard' } }",
        {},
        { database: TEST_DATABASE },
      );
      try {
        const plan = await planSchema(driver, TEST_DATABASE, statements);
        expect(plan.drop).toEqual(["OrganisationSearch"]);
        expect(plan.create.map((statement) => statement.name).sort()).toEqual(
          ["OrganisationSearch", "Topic_id_unique"].sort(),
        );
        expect(plan.awaitIndexes).toBe(true);
      } finally {
        await applySchema(driver, TEST_DATABASE, statements);
      }
      expect(await planSchema(driver, TEST_DATABASE, statements)).toEqual({
        drop: [],
        create: [],
        awaitIndexes: false,
      });
    });
  });
});
