import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLensFile } from "../src/classify/lens-file.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";
import {
  GUIDE_TOPICS,
  measureLens,
  type Prediction,
  predict,
  readLabels,
  readSampleProjects,
  SAMPLE_ZIP,
} from "./helpers/lens-quality.js";

/**
 * The real path of the lens figures: the labelled sample (720 Horizon Europe projects, the official
 * CORDIS rows) imported through the CORDIS importer into a store that holds the seed, whose lens the
 * import applies in its own transaction. The tiers and ATLAS links the graph then holds must be exactly
 * what the in-memory measurement of test/unit/lens-quality.test.ts scored; so its figures are the graph's.
 */
const log = createLogger("silent");
const seedDir = defaultSeedDir();
const ATLAS = new Set(Object.values(GUIDE_TOPICS));

describe("the default lens on the labelled sample, imported through the CORDIS importer", () => {
  let driver: Driver;
  let graph: Map<string, Prediction>;
  let expected: Map<string, Prediction>;

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    await runCordisImport(
      driver,
      TEST_DATABASE,
      SAMPLE_ZIP,
      { countries: readCountryReference(path.join(seedDir, "reference")), dryRun: false, strict: true },
      log,
    );
    const projects = await readSampleProjects();
    const { records } = await driver.executeQuery(
      `MATCH (p:Project) WHERE p.id IN $ids
       RETURN p.id AS id, p.pmRelevance AS tier,
              [(p)-[:ADDRESSES]->(t:Topic {scheme: 'ATLAS'}) | t.id] AS topics`,
      { ids: projects.map((project) => project.id) },
      { database: TEST_DATABASE },
    );
    graph = new Map(
      records.map((record) => [
        record.get("id") as string,
        {
          tier: record.get("tier") as string,
          topics: new Set(record.get("topics") as string[]),
          rules: new Map(),
        },
      ]),
    );
    expected = predict(readLensFile(path.join(seedDir, "lenses", "atlas.yaml")), projects);
  }, 600_000);
  afterAll(async () => {
    await driver?.close();
  });

  it("gives every sampled project the tier and the ATLAS topics that the measured lens gives it", () => {
    expect(graph.size).toBe(expected.size);
    for (const [id, prediction] of expected) {
      const stored = graph.get(id);
      expect(stored?.tier, id).toBe(prediction.tier);
      expect([...(stored?.topics ?? [])].filter((topic) => ATLAS.has(topic)).sort(), id).toEqual(
        [...prediction.topics].sort(),
      );
    }
  });

  it("scores the same on the test split from the graph as in memory, and links cancer far above chance", () => {
    const test = readLabels().filter((label) => label.split === "test");
    const fromGraph = measureLens(test, graph);
    const inMemory = measureLens(test, expected);
    expect(
      fromGraph.map(({ name, truePositives, predicted, positives }) => ({
        name,
        truePositives,
        predicted,
        positives,
      })),
    ).toEqual(
      inMemory.map(({ name, truePositives, predicted, positives }) => ({
        name,
        truePositives,
        predicted,
        positives,
      })),
    );
    // A graph that held no links (the importer writing floats where strings were expected, a lens
    // never applied) would score 0 here; cancer is the topic the guide defines least ambiguously.
    const cancer = fromGraph.find((m) => m.name === "topic:cancer")!;
    expect(cancer.positives).toBeGreaterThanOrEqual(30);
    expect(cancer.truePositives / cancer.positives).toBeGreaterThan(0.8);
  });
});
