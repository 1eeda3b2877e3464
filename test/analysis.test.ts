import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { writeAnalysisFixture } from "./fixtures/analysis-fixture.js";
import { clearDatabase, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/** Every expected number below is worked out by hand from the table in test/fixtures/analysis-fixture.ts. */
describe("analysis queries on a hand-checked fixture", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field against literals
  const query = (q: string, variables?: Record<string, unknown>): Promise<any> =>
    postGraphQL(atlas.http.url, q, variables).then(expectData);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await writeAnalysisFixture(driver);
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  const network = `query N($level: NetworkLevel!, $fromYear: Int, $topicIds: [ID!]) {
    collaborationNetwork(level: $level, fromYear: $fromYear, topicIds: $topicIds) {
      nodes { key label kind weight } edges { source target weight projects amountEur } sourceCount description
    }
  }`;

  it("links countries by shared projects, with the contributions of both ends", async () => {
    const { collaborationNetwork: n } = await query(network, { level: "COUNTRY" });
    // P1: DE 10 + FR 20 = 30; P2: DE 30+40 + ES 50 = 120; P3: FR 60 + ES 70 = 130; P4 has IT alone.
    expect(n.edges).toEqual([
      { source: "country:DE", target: "country:ES", weight: 1, projects: 1, amountEur: 120 },
      { source: "country:DE", target: "country:FR", weight: 1, projects: 1, amountEur: 30 },
      { source: "country:ES", target: "country:FR", weight: 1, projects: 1, amountEur: 130 },
    ]);
    // DE: P1, P2; ES: P2, P3; FR: P1, P3. IT has no edge, so it is not listed.
    expect(n.nodes).toEqual([
      { key: "country:DE", label: "Germany", kind: "Country", weight: 2 },
      { key: "country:ES", label: "Spain", kind: "Country", weight: 2 },
      { key: "country:FR", label: "France", kind: "Country", weight: 2 },
    ]);
    // The numbers returned count P1, P2 (DE), P2, P3 (ES), P1, P3 (FR): sources S1 (P1, P2) and S2 (P3).
    // P4 (S3) has IT alone, which is not listed: its source is behind no number of this answer.
    expect(n.sourceCount).toBe(2);
    expect(n.description).toMatch(/distinct projects/);
  });

  it("filters the network by years and topics", async () => {
    const { collaborationNetwork: fromYear } = await query(network, { level: "COUNTRY", fromYear: 2022 });
    // P2, P3, P4 remain: DE-ES (P2, 120) and ES-FR (P3, 130).
    expect(fromYear.edges.map((e: { source: string; target: string }) => `${e.source}-${e.target}`)).toEqual([
      "country:DE-country:ES",
      "country:ES-country:FR",
    ]);
    const { collaborationNetwork: topicB } = await query(network, { level: "COUNTRY", topicIds: ["fx:tB"] });
    // tB: P2 (DE, ES) and P3 (FR, ES).
    expect(topicB.nodes.map((node: { key: string; weight: number }) => [node.key, node.weight])).toEqual([
      ["country:ES", 2],
      ["country:DE", 1],
      ["country:FR", 1],
    ]);
  });

  it("links organisations and funders", async () => {
    const { collaborationNetwork: orgs } = await query(network, { level: "ORGANISATION" });
    expect(
      orgs.edges.map((e: { source: string; target: string; amountEur: number }) => [
        e.source,
        e.target,
        e.amountEur,
      ]),
    ).toEqual([
      ["fx:o1", "fx:o2", 70], // P2: 30 + 40
      ["fx:o1", "fx:o3", 30], // P1: 10 + 20
      ["fx:o1", "fx:o4", 80], // P2: 30 + 50
      ["fx:o2", "fx:o4", 90], // P2: 40 + 50
      ["fx:o3", "fx:o4", 130], // P3: 60 + 70
    ]);
    const { collaborationNetwork: funders } = await query(network, { level: "FUNDER" });
    // F1 and F2 fund call1 and call2 together (weight 2), under which P1..P4 are funded.
    expect(funders.edges).toEqual([
      { source: "fx:F1", target: "fx:F2", weight: 2, projects: 4, amountEur: 0 },
    ]);
    expect(funders.nodes.map((node: { key: string; weight: number }) => [node.key, node.weight])).toEqual([
      ["fx:F1", 2],
      ["fx:F2", 2],
    ]);
  });

  it("says how many edges there were when it keeps only the heaviest", async () => {
    const cut = `query C($level: NetworkLevel!, $limit: Int, $minWeight: Float) {
      collaborationNetwork(level: $level, limit: $limit, minWeight: $minWeight) {
        nodes { key } edges { source target } totalEdges
      }
    }`;
    // The five organisation edges above all weigh 1: the first two by ids are o1-o2 and o1-o3.
    const { collaborationNetwork: two } = await query(cut, { level: "ORGANISATION", limit: 2 });
    expect(two.totalEdges).toBe(5);
    expect(two.edges).toEqual([
      { source: "fx:o1", target: "fx:o2" },
      { source: "fx:o1", target: "fx:o3" },
    ]);
    expect(two.nodes.map((node: { key: string }) => node.key).sort()).toEqual(["fx:o1", "fx:o2", "fx:o3"]);
    const { collaborationNetwork: all } = await query(cut, { level: "COUNTRY" });
    expect(all.totalEdges).toBe(3);
    // No country pair shares two projects; F1-F2 share two programmes.
    const { collaborationNetwork: none } = await query(cut, { level: "COUNTRY", minWeight: 2 });
    expect(none).toEqual({ nodes: [], edges: [], totalEdges: 0 });
    const { collaborationNetwork: funders } = await query(cut, { level: "FUNDER", minWeight: 2, limit: 1 });
    expect(funders.totalEdges).toBe(1);
  });

  it("computes centralities and communities of the country triangle", async () => {
    const { networkMetrics } = await query(
      `{ networkMetrics(level: COUNTRY) { key degree weightedDegree betweenness pageRank community } }`,
    );
    // A triangle DE-ES-FR with equal weights: every node alike, no node between two others, one community.
    expect(networkMetrics).toHaveLength(3);
    for (const node of networkMetrics) {
      expect(node).toMatchObject({ degree: 2, weightedDegree: 2, betweenness: 0, community: 0 });
      expect(node.pageRank).toBeCloseTo(1 / 3, 6);
    }
  });

  it("finds the shortest path between two organisations", async () => {
    const path = `query P($from: ID!, $to: ID!, $hops: Int) { shortestPath(fromId: $from, toId: $to, maxHops: $hops) {
      length nodes { id types } relationships { type source target } } }`;
    const { shortestPath } = await query(path, { from: "fx:o3", to: "fx:o4" });
    // o3 and o4 share only P3.
    expect(shortestPath).toEqual({
      length: 2,
      nodes: [
        { id: "fx:o3", types: ["Organisation"] },
        { id: "fx:P3", types: ["Project"] },
        { id: "fx:o4", types: ["Organisation"] },
      ],
      relationships: [
        { type: "PARTICIPATES_IN", source: "fx:o3", target: "fx:P3" },
        { type: "PARTICIPATES_IN", source: "fx:o4", target: "fx:P3" },
      ],
    });
    expect((await query(path, { from: "fx:o3", to: "fx:o4", hops: 1 })).shortestPath).toBeNull();
  });

  const matrix = `query M($measure: MatrixMeasure!, $normalise: Normalisation, $columns: MatrixColumns!, $filters: AnalysisFilters) {
    fundingMatrix(rows: COUNTRY, columns: $columns, measure: $measure, normalise: $normalise, filters: $filters) {
      rows { key total } columns { key total } cells { row column value } sourceCount
    }
  }`;

  it("fills the country x topic matrix of EU contributions, zeros included", async () => {
    const { fundingMatrix: m } = await query(matrix, {
      measure: "AMOUNT_EUR",
      columns: "TOPIC",
      filters: { topicIds: ["fx:tA", "fx:tB"] },
    });
    // Rows by total: ES 50 + 70 = 120; DE 10 + 70 = 80; FR 20 + 60 = 80; IT 80 (ties by id).
    expect(m.rows).toEqual([
      { key: "country:ES", total: 120 },
      { key: "country:DE", total: 80 },
      { key: "country:FR", total: 80 },
      { key: "country:IT", total: 80 },
    ]);
    // tA: P1 (DE 10, FR 20), P2 (DE 70, ES 50), P4 (IT 80) = 230; tB: P2 (DE 70, ES 50), P3 (FR 60, ES 70) = 250.
    expect(m.columns).toEqual([
      { key: "fx:tA", total: 230 },
      { key: "fx:tB", total: 250 },
    ]);
    expect(m.cells).toEqual([
      { row: "country:ES", column: "fx:tA", value: 50 },
      { row: "country:ES", column: "fx:tB", value: 120 },
      { row: "country:DE", column: "fx:tA", value: 80 },
      { row: "country:DE", column: "fx:tB", value: 70 },
      { row: "country:FR", column: "fx:tA", value: 20 },
      { row: "country:FR", column: "fx:tB", value: 60 },
      { row: "country:IT", column: "fx:tA", value: 80 },
      { row: "country:IT", column: "fx:tB", value: 0 },
    ]);
    expect(m.sourceCount).toBe(3);
  });

  it("counts distinct projects, and divides by population", async () => {
    const { fundingMatrix: projects } = await query(matrix, {
      measure: "PROJECTS",
      columns: "TOPIC",
      filters: { topicIds: ["fx:tA", "fx:tB"] },
    });
    // A column's total is the sum of its cells (a project with participants in two countries counts in
    // both rows): tA DE 2 (P1, P2) + FR 1 (P1) + ES 1 (P2) + IT 1 (P4) = 5; tB DE 1 + FR 1 + ES 2 = 4.
    expect(projects.columns).toEqual([
      { key: "fx:tA", total: 5 },
      { key: "fx:tB", total: 4 },
    ]);
    expect(
      projects.cells.find(
        (c: { row: string; column: string }) => c.row === "country:DE" && c.column === "fx:tA",
      ).value,
    ).toBe(2);

    const { fundingMatrix: perCapita } = await query(matrix, {
      measure: "AMOUNT_EUR",
      columns: "TOPIC",
      normalise: "PER_MILLION_INHABITANTS",
      filters: { topicIds: ["fx:tA", "fx:tB"] },
    });
    // IT 80/50 = 1.6; FR 80/60 = 1.333… (1.33 to the cent); DE 80/80 = 1; ES 120/200 = 0.6.
    expect(perCapita.rows.map((r: { key: string }) => r.key)).toEqual([
      "country:IT",
      "country:FR",
      "country:DE",
      "country:ES",
    ]);
    expect(perCapita.rows[1].total).toBe(1.33);
    expect(
      perCapita.cells.find(
        (c: { row: string; column: string }) => c.row === "country:ES" && c.column === "fx:tB",
      ).value,
    ).toBe(0.6);
    // Column totals per capita of all rows: tA 230 / 390 M = 0.5897… and tB 250 / 390 M = 0.6410…, to the cent.
    expect(perCapita.columns[0].total).toBe(0.59);
    expect(perCapita.columns[1].total).toBe(0.64);
  });

  it("sums project funding, projects and participations of funders by programme", async () => {
    const byFunder = `query F($measure: MatrixMeasure!) {
      fundingMatrix(rows: FUNDER, columns: PROGRAMME, measure: $measure) {
        rows { key label total } columns { key total } cells { row column value } sourceCount
      }
    }`;
    // F1 and F2 fund call1 (P1 100, P2 200) and call2 (P3 300, P4 400); F3 funds fw, of which both calls
    // are part, so it reaches the same four projects; F4 funds nothing and has no row. Columns are the
    // calls the projects are funded under. Column totals sum the cells: call1 3 x 300, call2 3 x 700.
    const { fundingMatrix: amounts } = await query(byFunder, { measure: "AMOUNT_EUR" });
    expect(amounts.rows).toEqual([
      { key: "fx:F1", label: "F1", total: 1000 },
      { key: "fx:F2", label: "F2", total: 1000 },
      { key: "fx:F3", label: "F3", total: 1000 },
    ]);
    expect(amounts.columns).toEqual([
      { key: "fx:call1", total: 900 },
      { key: "fx:call2", total: 2100 },
    ]);
    expect(amounts.cells.filter((cell: { row: string }) => cell.row === "fx:F3")).toEqual([
      { row: "fx:F3", column: "fx:call1", value: 300 },
      { row: "fx:F3", column: "fx:call2", value: 700 },
    ]);
    expect(amounts.sourceCount).toBe(3);
    // Participations: P1 2, P2 3, P3 2, P4 1. Per funder: call1 5, call2 3, total 8.
    const { fundingMatrix: parts } = await query(byFunder, { measure: "PARTICIPATIONS" });
    expect(parts.rows.map((row: { total: number }) => row.total)).toEqual([8, 8, 8]);
    expect(parts.columns).toEqual([
      { key: "fx:call1", total: 15 },
      { key: "fx:call2", total: 9 },
    ]);
    // Distinct projects: two per call and funder; a column's total sums its cells: 3 funders x 2.
    const { fundingMatrix: projects } = await query(byFunder, { measure: "PROJECTS" });
    expect(projects.cells.map((cell: { value: number }) => cell.value)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(projects.columns).toEqual([
      { key: "fx:call1", total: 6 },
      { key: "fx:call2", total: 6 },
    ]);
  });

  it("spreads by start year, every year present", async () => {
    const { fundingMatrix: m } = await query(matrix, { measure: "AMOUNT_EUR", columns: "YEAR" });
    expect(m.columns.map((c: { key: string }) => c.key)).toEqual(["2021", "2022", "2023"]);
    // DE: 2021 P1 10; 2022 P2 70; 2023 nothing.
    expect(
      m.cells.filter((c: { row: string }) => c.row === "country:DE").map((c: { value: number }) => c.value),
    ).toEqual([10, 70, 0]);

    const { fundingTrend } = await query(
      `{ fundingTrend(groupBy: COUNTRY) { series { key points { year amountEur projects } } } }`,
    );
    const de = fundingTrend.series.find((s: { key: string }) => s.key === "country:DE");
    expect(de.points).toEqual([
      { year: 2021, amountEur: 10, projects: 1 },
      { year: 2022, amountEur: 70, projects: 1 },
      { year: 2023, amountEur: 0, projects: 0 },
    ]);
  });

  it("names the funding gaps of a consortium, each with its reason", async () => {
    const { fundingGaps } = await query(
      `{ fundingGaps(consortiumId: "fx:K") { kind subjectId topicId expected actual reason } }`,
    );
    const summary = fundingGaps.map((gap: { kind: string; subjectId: string; topicId: string | null }) =>
      [gap.kind, gap.subjectId, gap.topicId].filter(Boolean).join(" "),
    );
    expect(summary).toEqual([
      // K's topics: tA (call1) and tC (empty). Members DE, ES, FR all take part in tA. No project is
      // linked to tC at all: a coverage caveat, not three country gaps and a topic gap (issue 18).
      "TOPIC_NOT_COVERED fx:tC",
      // Participations DE 3, FR 2, ES 2 of 7; population DE 80, FR 60, ES 200 of 340 M.
      // ES: 2/7 = 0.286 < half of 200/340 = 0.294.
      "BELOW_POPULATION_SHARE country:ES",
      "FUNDER_WITHOUT_PARTNER fx:F3", // funds fw alone
      "FUNDER_WITHOUT_PARTNER fx:F4", // funds nothing
      "PROGRAMME_WITHOUT_PROJECTS fx:empty",
    ]);
    const es = fundingGaps.find((gap: { kind: string }) => gap.kind === "BELOW_POPULATION_SHARE");
    expect(es.expected).toBeCloseTo(200 / 340, 10);
    expect(es.actual).toBeCloseTo(2 / 7, 10);
    for (const gap of fundingGaps) expect(gap.reason.length).toBeGreaterThan(20);
  });

  it("exports the network for Gephi and Cytoscape", async () => {
    const exported = (format: string) =>
      query(`query E($format: ExportFormat!) { export(format: $format, level: COUNTRY) }`, { format }).then(
        (d) => d.export as string,
      );
    const csv = await exported("CSV");
    expect(csv.trim().split("\n")).toEqual([
      "Source,Target,Type,Weight,projects,amountEur",
      "country:DE,country:ES,undirected,1,1,120",
      "country:DE,country:FR,undirected,1,1,30",
      "country:ES,country:FR,undirected,1,1,130",
    ]);
    const graphml = await exported("GRAPHML");
    expect(graphml.match(/<node /g)).toHaveLength(3);
    expect(graphml.match(/<edge /g)).toHaveLength(3);
    const rest = await fetch(`${atlas.http.url}/export/network.csv?level=COUNTRY`);
    expect(rest.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(await rest.text()).toBe(csv);
    expect(
      (await fetch(`${atlas.http.url}/export/network.csv?level=COUNTRY&fromYear=2030&toYear=2020`)).status,
    ).toBe(400);
    const gexf = await exported("GEXF");
    expect(gexf).toContain('<node id="country:DE" label="Germany">');
  });

  it.each([
    [`{ collaborationNetwork(level: COUNTRY, fromYear: 2024, toYear: 2020) { sourceCount } }`, "fromYear"],
    [`{ collaborationNetwork(level: COUNTRY, topicIds: ["fx:nope"]) { sourceCount } }`, "topicIds"],
    [`{ collaborationNetwork(level: COUNTRY, limit: 100000) { sourceCount } }`, "limit"],
    [`{ shortestPath(fromId: "fx:nope", toId: "fx:o1") { length } }`, "fromId"],
    [`{ fundingGaps(consortiumId: "fx:nope") { kind } }`, "consortiumId"],
    [
      `{ fundingMatrix(rows: FUNDER, columns: YEAR, normalise: PER_MILLION_INHABITANTS) { sourceCount } }`,
      "normalise",
    ],
  ])("refuses bad input with BAD_USER_INPUT naming the argument: %s", async (q, argumentName) => {
    const response = await postGraphQL(atlas.http.url, q);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
    expect(response.errors?.[0]?.message).toMatch(new RegExp(`^${argumentName}: `));
  });
});
