import neo4j from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { aggregateFacts, sharedProjectEdges } from "../helpers/cypher-oracle.js";

// The pure cores of the analyses, on facts small enough to work out by hand (each expected value is
// derived in the comment above it, not copied from a run).

describe("sharedProjectEdges: the one-mode projection of the organisation-project graph", () => {
  // A is in p1, p2; B in p1, p2, p3; C in p2, p3; D in p9 alone. Amounts are whole cents per project.
  const members = [
    { id: "org:C", label: "C", projects: ["p2", "p3"], amounts: [1, 2] },
    { id: "org:A", label: "A", projects: ["p1", "p2"], amounts: [100, 200] },
    { id: "org:D", label: "D", projects: ["p9"], amounts: [5] },
    // Amounts arrive as Neo4j integers from the driver.
    { id: "org:B", label: "B", projects: ["p1", "p2", "p3"], amounts: [neo4j.int(10), 20, 30] },
  ];

  it("counts shared projects and sums both ends' cents in them, heaviest first, then by ids", () => {
    // A-B share p1, p2: weight 2, cents 100+10 + 200+20 = 330.
    // B-C share p2, p3: weight 2, cents 20+1 + 30+2 = 53.
    // A-C share p2: weight 1, cents 200+1 = 201. D shares nothing: no edge.
    expect(sharedProjectEdges(members, 1)).toEqual([
      { source: "org:A", target: "org:B", weight: 2, projects: 2, amountEur: 3.3 },
      { source: "org:B", target: "org:C", weight: 2, projects: 2, amountEur: 0.53 },
      { source: "org:A", target: "org:C", weight: 1, projects: 1, amountEur: 2.01 },
    ]);
  });

  it("drops pairs under minWeight", () => {
    expect(sharedProjectEdges(members, 2).map((e) => `${e.source}-${e.target}`)).toEqual([
      "org:A-org:B",
      "org:B-org:C",
    ]);
  });

  it("orders ids by code unit, as Cypher does (upper case before lower case)", () => {
    const edges = sharedProjectEdges(
      [
        { id: "org:b", label: null, projects: ["p"], amounts: [0] },
        { id: "org:Z", label: null, projects: ["p"], amounts: [0] },
      ],
      1,
    );
    // "Z" (0x5A) < "b" (0x62); localeCompare would put b first.
    expect(edges.map((e) => [e.source, e.target])).toEqual([["org:Z", "org:b"]]);
  });

  it("gives no edges for no members", () => {
    expect(sharedProjectEdges([], 1)).toEqual([]);
  });
});

describe("aggregateFacts: the funding matrix's cells and totals", () => {
  // Row DE is in p1 (1000 cents, 2 participations) and p2 (500, 1); row FR in p2 (300, 1) and p3 (70, 1).
  // Column X holds p1 and p2, column Y holds p2; p3 is in no column.
  const rowFacts = [
    {
      id: "country:DE",
      label: "Germany",
      population: 83_000_000,
      projects: ["p1", "p2"],
      amounts: [1000, 500],
      parts: [2, 1],
    },
    {
      id: "country:FR",
      label: "France",
      population: null,
      projects: ["p2", "p3"],
      amounts: [300, 70],
      parts: [1, 1],
    },
    { id: "country:IT", label: "Italy", population: 59_000_000, projects: [], amounts: [], parts: [] },
  ];
  const columnFacts = [
    { column: "X", projects: ["p1", "p2"] },
    { column: "Y", projects: ["p2"] },
  ];
  const { cellsByKey, rowTotals } = aggregateFacts(rowFacts, columnFacts);
  const cell = (row: string, column: string) => cellsByKey.get(`${row}\u0000${column}`);

  it("puts a project in every column it falls in", () => {
    // DE-X: p1 + p2 = 1500 cents, 2 projects, 3 participations. DE-Y: p2 = 500, 1, 1.
    expect(cell("country:DE", "X")).toEqual({ cents: 1500, projects: 2, parts: 3 });
    expect(cell("country:DE", "Y")).toEqual({ cents: 500, projects: 1, parts: 1 });
    // FR-X and FR-Y: p2 only = 300, 1, 1.
    expect(cell("country:FR", "X")).toEqual({ cents: 300, projects: 1, parts: 1 });
    expect(cell("country:FR", "Y")).toEqual({ cents: 300, projects: 1, parts: 1 });
    expect(cellsByKey.size).toBe(4);
  });

  it("counts a row's project once in its placed total, however many columns it falls in", () => {
    const de = rowTotals.find((row) => row.id === "country:DE")!;
    // p1 and p2 once each: 1500 cents, 2 projects, 3 participations; nothing outside.
    expect(de.placed).toEqual({ cents: 1500, projects: 2, parts: 3 });
    expect(de.outside).toEqual({ cents: 0, projects: 0, parts: 0 });
  });

  it("keeps the projects outside every column apart", () => {
    const fr = rowTotals.find((row) => row.id === "country:FR")!;
    expect(fr.placed).toEqual({ cents: 300, projects: 1, parts: 1 });
    // p3: 70 cents, 1 project, 1 participation.
    expect(fr.outside).toEqual({ cents: 70, projects: 1, parts: 1 });
  });

  it("lists no row without projects", () => {
    expect(rowTotals.map((row) => row.id)).toEqual(["country:DE", "country:FR"]);
  });
});
