import { readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse, valueFromASTUntyped } from "graphql";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/*
 * Full-text search on the seeded graph, loaded through the real importers at start-up. Expected matches
 * come from the raw seed files (papaparse, yaml) with a tokenizer of the test's own: words are runs of
 * letters, digits and apostrophes, compared in lower case.
 */

const log = createLogger("silent");
const seedDir = defaultSeedDir();

/** Every search field, from the @fulltext directives of the type definitions. */
const searchFields = parse(loadTypeDefs()).definitions.flatMap((definition) => {
  if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return [];
  const fulltext = definition.directives?.find((d) => d.name.value === "fulltext");
  const indexes = fulltext?.arguments?.find((a) => a.name.value === "indexes");
  return indexes
    ? (valueFromASTUntyped(indexes.value) as { queryName: string }[]).map((i) => i.queryName)
    : [];
});

const words = (text: string | undefined | null) =>
  (text ?? "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
/** A word without its diacritics, where they come off by Unicode decomposition (é -> e, ü -> u). */
const unaccented = (word: string) => word.normalize("NFD").replace(/\p{M}/gu, "");

// Lucene's query syntax (its documented special characters and operators), and what analysts type.
const SPECIAL = [
  "+",
  "-",
  "&&",
  "||",
  "!",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "^",
  '"',
  "~",
  "*",
  "?",
  ":",
  "\\",
  "/",
];
const OPERATORS = ["AND", "OR", "NOT", "TO"];

describe("searching the seeded graph", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const post = <T>(query: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(atlas.http.url, query, variables);

  /** The ids a search field finds for a phrase (the whole answer: at most 500 here). */
  async function found(field: string, phrase: string): Promise<string[]> {
    const data = expectData(
      await post<Record<string, { totalCount: number; edges: { node: { id: string } }[] }>>(
        `query Search($phrase: String!) { ${field}(phrase: $phrase, first: 500) { totalCount edges { node { id } } } }`,
        { phrase },
      ),
    );
    const connection = data[field]!;
    expect(connection.totalCount, `${field} "${phrase}"`).toBeLessThanOrEqual(500);
    return connection.edges.map((edge) => edge.node.id).sort();
  }

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    atlas = await startAtlas(testConfig({ autoSeed: true }), log);
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  describe("issue 14.5: no phrase is an internal error; Lucene syntax is searched as plain words", () => {
    it("covers every search field of the type definitions", () => {
      expect(searchFields).toEqual(
        expect.arrayContaining(["searchProjects", "searchOrganisations", "searchFunders", "searchTopics"]),
      );
      expect(searchFields.length).toBe(8);
    });

    const phrases = [
      ...SPECIAL,
      ...OPERATORS,
      ...SPECIAL.flatMap((s) => [`cancer ${s}`, `${s}cancer`, `cancer${s}`, `${s} cancer ${s}`]),
      ...OPERATORS.flatMap((o) => [`cancer ${o}`, `${o} cancer`, `cancer ${o} ${o}`]),
      "AI/ML",
      "(cancer",
      "cancer:",
      '"cancer',
      "title:cancer",
      "[cancer TO tumour]",
      "cancer~2",
      "canc*",
      "/b testing",
      "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
      "\u0000\u0007",
    ];

    it.each(searchFields)("%s answers every phrase of the matrix without an error", async (field) => {
      for (const phrase of phrases) {
        const response = await post(
          `query S($phrase: String!) { ${field}(phrase: $phrase, first: 1) { totalCount } }`,
          {
            phrase,
          },
        );
        expect(response.errors, `${field} ${JSON.stringify(phrase)}`).toBeUndefined();
      }
    });

    it("finds the literal word whatever syntax surrounds it (searchProjects, 'cancer')", async () => {
      const plain = await found("searchProjects", "cancer");
      // Independently: the CORDIS projects whose title or acronym has the word.
      const projects = readCordisCsv(path.join(seedDir, "cordis", "horizon", "project.csv"));
      const expected = projects
        .filter((row) => [...words(row.title), ...words(row.acronym)].includes("cancer"))
        .map((row) => `cordis:${row.id}`);
      expect(expected.length).toBeGreaterThan(20);
      expect(plain).toEqual(expect.arrayContaining(expected));
      const cordisIds = new Set(projects.map((row) => `cordis:${row.id}`));
      expect(plain.filter((id) => cordisIds.has(id)).sort()).toEqual([...expected].sort());
      for (const s of SPECIAL)
        for (const phrase of [`cancer ${s}`, `${s}cancer`, `cancer${s}`])
          expect(await found("searchProjects", phrase), phrase).toEqual(plain);
      // The operator words are words (English stop words to the analyzer), not operators.
      for (const o of OPERATORS) expect(await found("searchProjects", `cancer ${o}`), o).toEqual(plain);
    });

    it("an empty or blank phrase finds nothing, without an error", async () => {
      for (const phrase of ["", " ", "\t\n  "]) {
        const data = expectData(
          await post<{ searchOrganisations: { totalCount: number; edges: unknown[] } }>(
            "query S($phrase: String!) { searchOrganisations(phrase: $phrase) { totalCount edges { node { id } } pageInfo { hasNextPage } } }",
            { phrase },
          ),
        );
        expect(data.searchOrganisations.totalCount).toBe(0);
        expect(data.searchOrganisations.edges).toEqual([]);
      }
    });

    it("a long phrase within the limits is searched; a longer one is BAD_USER_INPUT naming `phrase`", async () => {
      const plain = await found("searchProjects", "cancer");
      expect(await found("searchProjects", Array(64).fill("cancer").join(" "))).toEqual(plain);
      const longWord = expectData(
        await post("query S($phrase: String!) { searchProjects(phrase: $phrase) { totalCount } }", {
          phrase: "x".repeat(1000),
        }),
      );
      expect(longWord).toEqual({ searchProjects: { totalCount: 0 } });
      for (const phrase of ["x".repeat(1001), Array(65).fill("cancer").join(" "), "cancer ".repeat(10_000)]) {
        const response = await post(
          "query S($phrase: String!) { searchProjects(phrase: $phrase) { totalCount } }",
          {
            phrase,
          },
        );
        expect(response.errors?.[0]?.extensions, phrase.slice(0, 20)).toMatchObject({
          code: "BAD_USER_INPUT",
          argumentName: "phrase",
        });
      }
    });
  });

  describe("issue 14.6: accented and unaccented spellings find the same names", () => {
    /** Words of the names that carry diacritics which decomposition removes, with the ids that have them. */
    function accentedWords(records: { id: string; names: (string | null | undefined)[] }[]) {
      const byWord = new Map<string, Set<string>>();
      for (const record of records)
        for (const word of record.names.flatMap(words))
          if (unaccented(word) !== word && /^[a-z0-9']+$/.test(unaccented(word)))
            byWord.set(word, (byWord.get(word) ?? new Set()).add(record.id));
      return byWord;
    }
    /** The ids whose names have the word in either spelling. */
    function idsWith(records: { id: string; names: (string | null | undefined)[] }[], word: string) {
      return records
        .filter((record) => record.names.flatMap(words).some((w) => unaccented(w) === unaccented(word)))
        .map((record) => record.id);
    }

    it("organisations (CORDIS names as stored: 'UNIVERSITÄT', 'Zürich', 'FUNDACIÓN' ...)", async () => {
      const rows = readCordisCsv(path.join(seedDir, "cordis", "horizon", "organization.csv"));
      const records = rows.map((row) => ({
        id: `org:${row.organisationID}`,
        names: [row.name, row.shortName],
      }));
      const accented = accentedWords(records);
      expect(accented.size).toBeGreaterThan(10);
      for (const word of accented.keys()) {
        const withAccents = await found("searchOrganisations", word);
        const without = await found("searchOrganisations", unaccented(word));
        expect(without, `${word} / ${unaccented(word)}`).toEqual(withAccents);
        expect(withAccents, word).toEqual(expect.arrayContaining(idsWith(records, word)));
        // And upper case, as CORDIS writes many names.
        expect(await found("searchOrganisations", word.toUpperCase()), word).toEqual(withAccents);
      }
    });

    it("funders of the curated seed ('Québec', 'Santé', 'Projektträger' ...)", async () => {
      const seed = parseYaml(readFileSync(path.join(seedDir, "icpermed.yaml"), "utf8")) as {
        funders: { id: string; name: string; acronym?: string; region?: string }[];
      };
      const records = seed.funders.map((funder) => ({ id: funder.id, names: [funder.name, funder.acronym] }));
      const accented = accentedWords(records);
      expect([...accented.keys()]).toEqual(expect.arrayContaining(["québec", "santé"]));
      for (const word of accented.keys()) {
        const withAccents = await found("searchFunders", word);
        expect(withAccents.length, word).toBeGreaterThan(0);
        expect(await found("searchFunders", unaccented(word)), word).toEqual(withAccents);
        expect(withAccents, word).toEqual(expect.arrayContaining(idsWith(records, word)));
      }
    });

    it("an existing store's index built without accent folding is rebuilt at start-up", async () => {
      // A store created before this change: the index as it was, with Neo4j's default analyzer.
      await driver.executeQuery("DROP INDEX OrganisationSearch", {}, { database: TEST_DATABASE });
      await driver.executeQuery(
        "CREATE FULLTEXT INDEX OrganisationSearch FOR (n:Organisation) ON EACH [n.name, n.shortName]",
        {},
        { database: TEST_DATABASE },
      );
      await driver.executeQuery("CALL db.awaitIndexes(300)", {}, { database: TEST_DATABASE });
      const unfolded = await found("searchOrganisations", "Universitätsklinikum");
      expect(await found("searchOrganisations", "Universitatsklinikum")).not.toEqual(unfolded);

      await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
      const { records } = await driver.executeQuery(
        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'OrganisationSearch' RETURN options.indexConfig['fulltext.analyzer'] AS analyzer",
        {},
        { database: TEST_DATABASE },
      );
      expect(records[0]?.get("analyzer")).toBe("standard-folding");
      const folded = await found("searchOrganisations", "Universitätsklinikum");
      expect(folded.length).toBeGreaterThan(unfolded.length);
      expect(await found("searchOrganisations", "Universitatsklinikum")).toEqual(folded);
    });

    it("the organisation search of the issue: 'Université' finds what 'Universite' finds, and more than nothing", async () => {
      const accented = await found("searchOrganisations", "Université");
      expect(accented.length).toBeGreaterThan(0);
      expect(await found("searchOrganisations", "Universite")).toEqual(accented);
    });
  });
});
