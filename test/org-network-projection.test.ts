import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../src/analysis/analysis-context.js";
import {
  collaborationNetwork,
  type NetworkArgs,
  type WholeNetwork,
  wholeNetwork,
} from "../src/analysis/collaboration-network.js";
import { metricsOf } from "../src/analysis/network-metrics.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { cents, readCordisCsv } from "./helpers/cordis-files.js";
import { oracleCollaborationNetwork, oracleWholeNetwork } from "./helpers/cypher-oracle.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";
import { countingStore } from "./helpers/projection-fixtures.js";

// The organisation network from the analysis projection is counted in typed arrays and cut to `limit`
// before objects are made. It must give what the CORDIS files say (computed below with papaparse) and
// what the Cypher oracle (test/helpers/cypher-oracle.ts) gives, at every kind of cut: inside a group of equal weights,
// at its edges, and with minWeight (a Float) between two weights.

const log = createLogger("silent");
const subsetDir = path.join(defaultSeedDir(), "cordis", "horizon");
const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---- The organisation network of the files, by its definition, without the importer's code. ----
const yearOf = new Map(
  readCordisCsv(path.join(subsetDir, "project.csv")).map((row) => [
    `cordis:${row.id!.trim()}`,
    row.startDate ? Number(row.startDate.slice(0, 4)) : null,
  ]),
);
const organisationRows = readCordisCsv(path.join(subsetDir, "organization.csv"));

function fileNetwork(fromYear: number | null, toYear: number | null) {
  // Per project, its organisations with their contributions summed (an organisation may have two rows).
  const projects = new Map<string, Map<string, number>>();
  for (const row of organisationRows) {
    const project = `cordis:${row.projectID!.trim()}`;
    const year = yearOf.get(project) ?? null;
    if (fromYear !== null && (year === null || year < fromYear)) continue;
    if (toYear !== null && (year === null || year > toYear)) continue;
    const members = projects.get(project) ?? new Map<string, number>();
    const organisation = `org:${row.organisationID!.trim()}`;
    members.set(organisation, (members.get(organisation) ?? 0) + cents(row.ecContribution!));
    projects.set(project, members);
  }
  const weight = new Map<string, number>();
  const pairs = new Map<string, { source: string; target: string; projects: number; cents: number }>();
  for (const members of projects.values()) {
    const ids = [...members.keys()].sort(byCodeUnits);
    for (const id of ids) weight.set(id, (weight.get(id) ?? 0) + 1);
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const key = `${ids[x]} ${ids[y]}`;
        const pair = pairs.get(key) ?? { source: ids[x]!, target: ids[y]!, projects: 0, cents: 0 };
        pair.projects += 1;
        pair.cents += members.get(ids[x]!)! + members.get(ids[y]!)!;
        pairs.set(key, pair);
      }
    }
  }
  const edges = [...pairs.values()]
    .map((pair) => ({ source: pair.source, target: pair.target, weight: pair.projects, cents: pair.cents }))
    .sort(
      (a, b) => b.weight - a.weight || byCodeUnits(a.source, b.source) || byCodeUnits(a.target, b.target),
    );
  return { edges, weight };
}

/** Limits that cut a network's edges (heaviest first) at each change of weight, beside it and inside its ties. */
function tieLimits(weights: readonly number[]): number[] {
  const limits = new Set([1, 2, weights.length, weights.length + 1]);
  let groupStart = 0;
  for (let i = 1; i <= weights.length; i++) {
    if (i === weights.length || weights[i] !== weights[i - 1]) {
      // The group [groupStart, i): the cut just before it, just after it, and in its middle.
      for (const limit of [groupStart, groupStart + 1, Math.floor((groupStart + i) / 2), i, i + 1])
        if (limit >= 1 && limit <= weights.length + 1) limits.add(limit);
      groupStart = i;
    }
  }
  // A network without edges has weights.length 0: the API refuses limit 0 (1 is its smallest).
  return [...limits].filter((limit) => limit >= 1 && limit <= 5000).sort((a, b) => a - b);
}

const withoutRecords = (whole: Pick<WholeNetwork, "nodes" | "edges">) => ({
  nodes: whole.nodes.map(({ records: _, ...node }) => node),
  edges: whole.edges.map(({ records: _, ...edge }) => edge),
});

describe("issue 19a: the organisation network from the projection, on the CORDIS files imported", () => {
  let driver: Driver;
  let counter: ReturnType<typeof countingStore>;
  const cypher = (): AnalysisContext => ({ driver, database: TEST_DATABASE });
  const projected = (): AnalysisContext => ({ driver, database: TEST_DATABASE, projections: counter.store });

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const report = await runCordisImport(
      driver,
      TEST_DATABASE,
      subsetDir,
      { countries, dryRun: false, strict: true },
      log,
    );
    expect(report.participations).toBe(organisationRows.length);
    counter = countingStore(driver);
  });
  afterAll(async () => {
    await driver?.close();
  });

  it("gives the files' network at every kind of cut, ties in code-unit order", async () => {
    for (const [fromYear, toYear] of [
      [null, null],
      [2022, null],
      [null, 2022],
      [2023, 2023],
    ] as const) {
      const expected = fileNetwork(fromYear, toYear);
      // The subset must give ties at the cut, or this test would not test them.
      expect(expected.edges.length).toBeGreaterThan(100);
      const limits = tieLimits(expected.edges.map((edge) => edge.weight));
      for (const limit of limits) {
        const network = await collaborationNetwork(projected(), {
          level: "ORGANISATION",
          limit,
          fromYear,
          toYear,
        });
        const edges = expected.edges.slice(0, limit);
        const label = JSON.stringify({ fromYear, toYear, limit });
        expect(network.totalEdges, label).toBe(expected.edges.length);
        expect(
          network.edges.map((edge) => [edge.source, edge.target, edge.weight, edge.projects, edge.amountEur]),
          label,
        ).toEqual(
          edges.map((edge) => [edge.source, edge.target, edge.weight, edge.weight, edge.cents / 100]),
        );
        const listed = [...new Set(edges.flatMap((edge) => [edge.source, edge.target]))]
          .map((key) => [key, expected.weight.get(key)!] as const)
          .sort(([a, wa], [b, wb]) => wb - wa || byCodeUnits(a, b));
        expect(
          network.nodes.map((node) => [node.key, node.weight]),
          label,
        ).toEqual(listed);
      }
      const whole = await wholeNetwork(projected(), { level: "ORGANISATION", fromYear, toYear });
      expect(whole.edges.map((edge) => [edge.source, edge.target, edge.weight])).toEqual(
        expected.edges.map((edge) => [edge.source, edge.target, edge.weight]),
      );
    }
    expect(counter.built()).toBe(1);
  });

  it("gives what the Cypher path gives, cut at the ties, for varied filters and minWeights", async () => {
    // Filter values picked from the graph (inputs only; the expected answers are the Cypher path's).
    const session = driver.session({ database: TEST_DATABASE });
    let topics: string[];
    let programmes: string[];
    try {
      const pick = async (text: string) =>
        (await session.run(text)).records.map((record) => record.get(0) as string);
      topics = await pick(
        "MATCH (p:Project)-[:ADDRESSES]->(t:Topic) RETURN t.id, count(p) AS n ORDER BY n DESC, t.id LIMIT 2",
      );
      programmes = await pick(
        "MATCH (:Project)-[:FUNDED_UNDER]->(g:Programme) RETURN g.id, count(*) AS n ORDER BY n DESC, g.id LIMIT 2",
      );
    } finally {
      await session.close();
    }
    expect(topics.length).toBeGreaterThan(0);
    expect(programmes.length).toBeGreaterThan(0);
    const filterSets: Omit<NetworkArgs, "level">[] = [
      {},
      { fromYear: 2022, toYear: 2023 },
      { topicIds: topics },
      { programmeIds: programmes.slice(0, 1) },
      { fromYear: 2023, topicIds: topics.slice(0, 1), programmeIds: programmes },
    ];
    let compared = 0;
    for (const filters of filterSets) {
      for (const minWeight of [0, 1, 1.5, 2]) {
        const definition = { level: "ORGANISATION" as const, minWeight, ...filters };
        const label = JSON.stringify(definition);
        const fromCypher = await oracleWholeNetwork(cypher(), definition);
        const fromProjection = await wholeNetwork(projected(), definition);
        expect(withoutRecords(fromProjection), label).toEqual(withoutRecords(fromCypher));
        for (const limit of tieLimits(fromCypher.edges.map((edge) => edge.weight))) {
          const args = { ...definition, limit };
          const { coverageRequest: _, ...answer } = await collaborationNetwork(projected(), args);
          expect(answer, JSON.stringify(args)).toEqual(await oracleCollaborationNetwork(cypher(), args));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    // The metrics read the whole network, made on first use from the projection's typed arrays.
    const oneYear = { level: "ORGANISATION" as const, fromYear: 2023, toYear: 2023 };
    expect(await metricsOf(await wholeNetwork(projected(), oneYear))).toEqual(
      await metricsOf(await oracleWholeNetwork(cypher(), oneYear)),
    );
    expect(counter.built()).toBe(1);
  });
});
