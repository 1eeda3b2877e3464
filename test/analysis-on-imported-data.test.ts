import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApolloClient, type DocumentNode, gql, HttpLink, InMemoryCache } from "@apollo/client";
import { print } from "graphql";
import type { Driver } from "neo4j-driver";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import {
  DashboardFunderMoneyDocument,
  DashboardMatrixDocument,
  DashboardNetworkDocument,
  DashboardTrendDocument,
  ExploreCountryDocument,
} from "../web/src/generated/graphql.js";
import { cents, readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");
const subsetDir = path.join(defaultSeedDir(), "cordis", "horizon");
const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));

// ---- Expected values, computed from the CSV files with papaparse, not with the importer's code. ----
const projectRows = readCordisCsv(path.join(subsetDir, "project.csv"));
const organisationRows = readCordisCsv(path.join(subsetDir, "organization.csv"));
const legalBasisRows = readCordisCsv(path.join(subsetDir, "legalBasis.csv"));
const isoByCordisCode = new Map(
  readCordisCsv(path.join(defaultSeedDir(), "reference", "countries.csv"), ",").flatMap((row) => [
    [row.iso2!, row.iso2!],
    [row.cordisCode || row.iso2!, row.iso2!],
  ]),
);
const yearOf = new Map(
  projectRows.map((row) => [`cordis:${row.id}`, row.startDate ? Number(row.startDate.slice(0, 4)) : null]),
);
/** One participation per organization.csv row whose country is known: project, country id, cents. */
const participations = organisationRows.flatMap((row) => {
  const iso = isoByCordisCode.get(row.country!);
  return iso
    ? [{ project: `cordis:${row.projectID}`, country: `country:${iso}`, cents: cents(row.ecContribution!) }]
    : [];
});
const legalBases = new Map<string, Set<string>>();
for (const row of legalBasisRows) {
  const project = `cordis:${row.projectID}`;
  const topics = legalBases.get(project) ?? new Set<string>();
  topics.add(`topic:legal-basis:${row.legalBasis!.trim()}`);
  legalBases.set(project, topics);
}
const countriesOf = new Map<string, Set<string>>();
for (const p of participations) {
  const set = countriesOf.get(p.project) ?? new Set<string>();
  set.add(p.country);
  countriesOf.set(p.project, set);
}

function add(map: Map<string, number>, key: string, value: number) {
  map.set(key, (map.get(key) ?? 0) + value);
}
const cell = (row: string, column: string) => `${row}|${column}`;

/** Whole cents of an answered amount; fails unless the amount is exactly the double of a cent figure. */
function exactCents(eur: number): number {
  const whole = Math.round(eur * 100);
  expect(eur, `${eur} is not exact to the cent`).toBe(whole / 100);
  return whole;
}

type Matrix = {
  rows: { key: string; total: number; outsideColumns: number }[];
  columns: { key: string; total: number }[];
  cells: { row: string; column: string; value: number }[];
  outsideColumns: number;
  sourceCount: number;
  description: string;
};

const MATRIX = `query M($rows: MatrixRows!, $columns: MatrixColumns!, $measure: MatrixMeasure!, $filters: AnalysisFilters) {
  fundingMatrix(rows: $rows, columns: $columns, measure: $measure, filters: $filters) {
    rows { key total outsideColumns } columns { key total } cells { row column value } outsideColumns sourceCount description
  }
}`;

describe("issue 13: analyses on the CORDIS subset loaded through the real importer", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const query = <T>(q: string | DocumentNode, variables?: Record<string, unknown>): Promise<T> =>
    postGraphQL<T>(atlas.http.url, typeof q === "string" ? q : print(q), variables).then(expectData);
  const matrix = (variables: Record<string, unknown>) =>
    query<{ fundingMatrix: Matrix }>(MATRIX, variables).then((d) => d.fundingMatrix);

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
    atlas = await startAtlas(testConfig(), log);
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver.close();
  });

  describe("issue 13.1: the country x year matrix, cell by cell", () => {
    it("every cell, column total and row total of AMOUNT_EUR is the files' sum, exact to the cent", async () => {
      const expected = new Map<string, number>();
      const rowTotals = new Map<string, number>();
      const rowOutside = new Map<string, number>();
      for (const p of participations) {
        const year = yearOf.get(p.project);
        // A row's one total holds every contribution; those without a start year are also outside the columns.
        add(rowTotals, p.country, p.cents);
        if (year == null) add(rowOutside, p.country, p.cents);
        else add(expected, cell(p.country, String(year)), p.cents);
      }
      const years = [...yearOf.values()].filter((y): y is number => y != null);
      const m = await matrix({ rows: "COUNTRY", columns: "YEAR", measure: "AMOUNT_EUR" });
      const first = Math.min(...years);
      expect(m.columns.map((c) => c.key)).toEqual(
        Array.from({ length: Math.max(...years) - first + 1 }, (_, i) => String(first + i)),
      );
      expect(m.cells).toHaveLength(m.rows.length * m.columns.length);
      for (const c of m.cells)
        expect(exactCents(c.value), cell(c.row, c.column)).toBe(expected.get(cell(c.row, c.column)) ?? 0);
      expect(m.cells.filter((c) => c.value !== 0)).toHaveLength(
        [...expected.values()].filter((v) => v !== 0).length,
      );
      for (const column of m.columns) {
        let sum = 0;
        for (const [key, value] of expected) if (key.endsWith(`|${column.key}`)) sum += value;
        expect(exactCents(column.total), column.key).toBe(sum);
      }
      // Per-country totals: every contribution; the part without a start year is also said apart.
      expect(new Map(m.rows.map((r) => [r.key, exactCents(r.total)]))).toEqual(
        new Map([...new Set(participations.map((p) => p.country))].map((c) => [c, rowTotals.get(c) ?? 0])),
      );
      for (const row of m.rows) expect(exactCents(row.outsideColumns)).toBe(rowOutside.get(row.key) ?? 0);
    });

    it("per-country totals of projects and participations are the files' counts", async () => {
      const projects = new Map<string, Set<string>>();
      const parts = new Map<string, number>();
      for (const p of participations) {
        projects.set(p.country, (projects.get(p.country) ?? new Set()).add(p.project));
        add(parts, p.country, 1);
      }
      const byProjects = await matrix({ rows: "COUNTRY", columns: "YEAR", measure: "PROJECTS" });
      expect(new Map(byProjects.rows.map((r) => [r.key, r.total]))).toEqual(
        new Map([...projects].map(([country, set]) => [country, set.size])),
      );
      const byParts = await matrix({ rows: "COUNTRY", columns: "YEAR", measure: "PARTICIPATIONS" });
      expect(new Map(byParts.rows.map((r) => [r.key, r.total]))).toEqual(parts);
    });
  });

  it("the country x topic (LEGAL_BASIS) matrix, cell by cell", async () => {
    const expected = new Map<string, number>();
    for (const p of participations) {
      for (const topic of legalBases.get(p.project) ?? []) add(expected, cell(p.country, topic), p.cents);
    }
    const m = await matrix({ rows: "COUNTRY", columns: "TOPIC", measure: "AMOUNT_EUR" });
    const topics = new Set([...legalBases.values()].flatMap((set) => [...set]));
    expect(new Set(m.columns.map((c) => c.key))).toEqual(topics);
    expect(m.cells).toHaveLength(m.rows.length * topics.size);
    for (const c of m.cells)
      expect(exactCents(c.value), cell(c.row, c.column)).toBe(expected.get(cell(c.row, c.column)) ?? 0);
    expect(m.cells.filter((c) => c.value !== 0)).toHaveLength(
      [...expected.values()].filter((v) => v !== 0).length,
    );
  });

  describe("issue 13.3: the country network's metrics, whatever the display limit", () => {
    const partners = new Map<string, Map<string, number>>();
    const pairCents = new Map<string, number>();
    const centsIn = new Map<string, number>();
    for (const p of participations) add(centsIn, cell(p.project, p.country), p.cents);
    for (const [project, set] of countriesOf) {
      const list = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const a of list) {
        for (const b of list) {
          if (a === b) continue;
          const m = partners.get(a) ?? new Map<string, number>();
          m.set(b, (m.get(b) ?? 0) + 1);
          partners.set(a, m);
          if (a < b)
            add(pairCents, cell(a, b), centsIn.get(cell(project, a))! + centsIn.get(cell(project, b))!);
        }
      }
    }

    it("degree and weighted degree of every country are those of the files' whole network", async () => {
      const { networkMetrics } = await query<{
        networkMetrics: { key: string; degree: number; weightedDegree: number }[];
      }>("{ networkMetrics(level: COUNTRY) { key degree weightedDegree } }");
      expect(new Map(networkMetrics.map((m) => [m.key, [m.degree, m.weightedDegree]]))).toEqual(
        new Map(
          [...partners].map(([country, m]) => [
            country,
            [m.size, [...m.values()].reduce((s, v) => s + v, 0)],
          ]),
        ),
      );
      // The seed's figure from the issue: Germany works with 56 countries, and 65 countries have a partner.
      expect(partners.get("country:DE")!.size).toBe(56);
      expect(networkMetrics).toHaveLength(65);
    });

    it("a network cut to 10 edges, in the same request, leaves every node's metrics unchanged", async () => {
      const q = `query Q($limit: Int) {
        collaborationNetwork(level: COUNTRY, limit: $limit) { totalEdges edges { source target amountEur } }
        networkMetrics(level: COUNTRY) { key degree weightedDegree betweenness pageRank community }
      }`;
      type A = {
        collaborationNetwork: {
          totalEdges: number;
          edges: { source: string; target: string; amountEur: number }[];
        };
        networkMetrics: unknown[];
      };
      const cut = await query<A>(q, { limit: 10 });
      const whole = await query<A>(q, { limit: 5000 });
      expect(cut.collaborationNetwork.edges).toHaveLength(10);
      expect(cut.collaborationNetwork.totalEdges).toBe(pairCents.size);
      expect(cut.networkMetrics).toEqual(whole.networkMetrics);
      expect(whole.collaborationNetwork.edges).toHaveLength(pairCents.size);
      // issue 13.4: every edge's amount is the files' sum of both ends' contributions, exact to the cent.
      for (const edge of whole.collaborationNetwork.edges)
        expect(exactCents(edge.amountEur)).toBe(pairCents.get(cell(edge.source, edge.target)));
    });

    it("issue 13.4: the CSV export writes every amount as the exact decimal of the files", async () => {
      const text = await (
        await fetch(`${atlas.http.url}/export/network.csv?level=COUNTRY&limit=5000`)
      ).text();
      const rows = Papa.parse<Record<string, string>>(text.trim(), { header: true }).data;
      expect(rows).toHaveLength(pairCents.size);
      for (const row of rows) {
        expect(row.amountEur).toMatch(/^\d+(\.\d{1,2})?$/);
        expect(cents(row.amountEur!)).toBe(pairCents.get(cell(row.Source!, row.Target!)));
      }
    });
  });

  describe("fundingMatrix invariants, for every rows x columns x measure", () => {
    const combinations = ["COUNTRY", "FUNDER", "PROGRAMME"].flatMap((rows) =>
      ["TOPIC", "YEAR", "PROGRAMME"].flatMap((columns) =>
        ["AMOUNT_EUR", "PROJECTS", "PARTICIPATIONS"].map((measure) => ({ rows, columns, measure })),
      ),
    );
    it.each(combinations)("$rows x $columns x $measure", async (variables) => {
      const m = await matrix(variables);
      // Amounts compared in whole cents (each value exact to the cent), counts as they are.
      const units = (value: number) => (variables.measure === "AMOUNT_EUR" ? exactCents(value) : value);
      expect(m.rows.length).toBeGreaterThan(0);
      expect(m.cells).toHaveLength(m.rows.length * m.columns.length);
      const cellsOf = (key: string, side: "row" | "column") => m.cells.filter((c) => c[side] === key);
      for (const column of m.columns) {
        const sum = cellsOf(column.key, "column").reduce((s, c) => s + units(c.value), 0);
        expect(units(column.total), `column ${column.key}`).toBe(sum);
      }
      for (const row of m.rows) {
        const cells = cellsOf(row.key, "row");
        if (row.total !== 0)
          expect(
            cells.some((c) => c.value !== 0),
            `row ${row.key}`,
          ).toBe(true);
        // A project has one start year: for YEAR columns a row's cells and its outside part sum to its total.
        if (variables.columns === "YEAR")
          expect(units(row.total), `row ${row.key}`).toBe(
            cells.reduce((s, c) => s + units(c.value), 0) + units(row.outsideColumns),
          );
      }
      expect(units(m.outsideColumns)).toBe(m.rows.reduce((s, r) => s + units(r.outsideColumns), 0));
      // Every CORDIS project and country is sourced from the one CORDIS export.
      expect(m.sourceCount).toBe(1);
    });
  });

  describe("issue 13.6: GET /export/network.csv with repeated parameters", () => {
    // Two legal bases, the first two in id order that projects address.
    const [a, b] = [...new Set([...legalBases.values()].flatMap((set) => [...set]))].sort();
    const url = (query: string) => `${atlas.http.url}/export/network.csv?level=COUNTRY&limit=5000&${query}`;

    it("?topicIds=A&topicIds=B filters as the GraphQL export with topicIds [A, B] does", async () => {
      const { export: expected } = await query<{ export: string }>(
        "query E($t: [ID!]) { export(format: CSV, level: COUNTRY, topicIds: $t, limit: 5000) }",
        { t: [a, b] },
      );
      const repeated = await fetch(
        url(`topicIds=${encodeURIComponent(a!)}&topicIds=${encodeURIComponent(b!)}`),
      );
      expect(repeated.status).toBe(200);
      const body = await repeated.text();
      expect(body).toBe(expected);
      expect(await (await fetch(url(`topicIds=${encodeURIComponent(`${a},${b}`)}`))).text()).toBe(expected);
      // And the filter filters: the unfiltered network is larger.
      expect((await (await fetch(url(""))).text()).length).toBeGreaterThan(body.length);
    });

    it.each([
      ["topicIds=topic:nope&topicIds=topic:nope2", "topicIds"],
      [`topicIds=${"x"}&topicIds=topic:nope`, "topicIds"],
      ["programmeIds=programme:nope", "programmeIds"],
      ["topicId=topic:nope", "topicId"],
      ["fromYear=2021&fromYear=2022", "fromYear"],
      ["fromYear=2021.5", "fromYear"],
      ["limit=0", "limit"],
    ])("?%s is refused with 400 naming %s", async (parameters, argumentName) => {
      const response = await fetch(url(parameters));
      expect(response.status).toBe(400);
      // The GraphQL error shape, as on every route (issue 15).
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
    });
  });

  describe("issue 13.5: Apollo Client's default InMemoryCache keeps answers of different arguments apart", () => {
    /** The dashboard's own documents (web/src/dashboard/queries.ts, as web's codegen prints them). */
    const dashboard = (document: { toString(): string }) => gql(document.toString());
    const strip = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(strip)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([key]) => key !== "__typename")
                .map(([key, v]) => [key, strip(v)]),
            )
          : value;

    /** Runs each argument set through one client with a default cache, then reads each back from the cache. */
    async function readBack(document: DocumentNode, argumentSets: Record<string, unknown>[]) {
      const client = new ApolloClient({
        link: new HttpLink({ uri: `${atlas.http.url}/graphql` }),
        cache: new InMemoryCache(),
      });
      for (const variables of argumentSets) await client.query({ query: document, variables });
      const cached = argumentSets.map((variables) => strip(client.readQuery({ query: document, variables })));
      const direct = await Promise.all(argumentSets.map((variables) => query(document, variables)));
      return { cached, direct };
    }

    it("the dashboard's network of 2022 and of 2023 read back unchanged", async () => {
      const { cached, direct } = await readBack(dashboard(DashboardNetworkDocument), [
        { level: "COUNTRY", fromYear: 2022, toYear: 2022 },
        { level: "COUNTRY", fromYear: 2023, toYear: 2023 },
      ]);
      expect(direct[0]).not.toEqual(direct[1]);
      expect(cached).toEqual(direct);
    });

    it("the dashboard's matrix in EUR and per capita, and its trend for two year ranges, read back unchanged", async () => {
      const matrices = await readBack(dashboard(DashboardMatrixDocument), [
        { normalise: "NONE" },
        { normalise: "PER_MILLION_INHABITANTS" },
      ]);
      expect(matrices.cached).toEqual(matrices.direct);
      const trends = await readBack(dashboard(DashboardTrendDocument), [
        { groupBy: "COUNTRY", filters: { fromYear: 2022, toYear: 2023 } },
        { groupBy: "COUNTRY", filters: { fromYear: 2024, toYear: 2025 } },
      ]);
      expect(trends.direct[0]).not.toEqual(trends.direct[1]);
      expect(trends.cached).toEqual(trends.direct);
    });

    it("Germany's EUR total stays an amount beside a matrix of project counts", async () => {
      const { cached, direct } = await readBack(
        gql(`query M($measure: MatrixMeasure!) {
          fundingMatrix(rows: COUNTRY, columns: YEAR, measure: $measure) { rows { key label total } }
        }`),
        [{ measure: "AMOUNT_EUR" }, { measure: "PROJECTS" }],
      );
      expect(cached).toEqual(direct);
    });

    // The queries added after the issue (money by funder, the explore pages' figures, the organisation
    // network) are of the same kind: a cache must never merge their answers either.
    it("the dashboard's money by funder, its organisation network and an explore page read back unchanged", async () => {
      const money = await readBack(dashboard(DashboardFunderMoneyDocument), [
        { filters: { fromYear: 2022, toYear: 2022 } },
        { filters: { fromYear: 2023, toYear: 2024 } },
      ]);
      expect(money.direct[0]).not.toEqual(money.direct[1]);
      expect(money.cached).toEqual(money.direct);
      const organisations = await readBack(dashboard(DashboardNetworkDocument), [
        { level: "ORGANISATION", fromYear: 2022, toYear: 2022, limit: 50 },
        { level: "ORGANISATION", fromYear: 2023, toYear: 2023, limit: 50 },
      ]);
      expect(organisations.direct[0]).not.toEqual(organisations.direct[1]);
      expect(organisations.cached).toEqual(organisations.direct);
      const country = await readBack(dashboard(ExploreCountryDocument), [
        { id: "country:DE", filters: { fromYear: 2022, toYear: 2022 }, fromYear: 2022, toYear: 2022 },
        { id: "country:DE", filters: { fromYear: 2023, toYear: 2023 }, fromYear: 2023, toYear: 2023 },
      ]);
      expect(country.direct[0]).not.toEqual(country.direct[1]);
      expect(country.cached).toEqual(country.direct);
    });

    it("the check can fail: aliasing key as id lets the cache merge the two networks", async () => {
      const { cached, direct } = await readBack(
        gql(`query N($fromYear: Int, $toYear: Int) {
          collaborationNetwork(level: COUNTRY, fromYear: $fromYear, toYear: $toYear) { nodes { id: key weight } }
        }`),
        [
          { fromYear: 2022, toYear: 2022 },
          { fromYear: 2023, toYear: 2023 },
        ],
      );
      expect(cached).not.toEqual(direct);
    });
  });

  describe("issue 13.1: projects without a start year are counted apart, and the answer says how much", () => {
    let dir: string;
    let undated: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), "atlas-undated-"));
      cpSync(subsetDir, dir, { recursive: true });
      const file = path.join(dir, "project.csv");
      // The project with most participations loses its start date: found by text, no CSV parser.
      const counts = new Map<string, number>();
      for (const row of organisationRows) counts.set(row.projectID!, (counts.get(row.projectID!) ?? 0) + 1);
      undated = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]![0];
      const lines = readFileSync(file, "utf8").split("\n");
      const index = lines.findIndex((line) => line.startsWith(`"${undated}";`));
      const record = Papa.parse<string[]>(lines[index]!, { delimiter: ";" }).data[0]!;
      const startDate = record[4]!;
      expect(startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      lines[index] = lines[index]!.replace(`"${startDate}"`, '""');
      writeFileSync(file, lines.join("\n"));
      await clearDatabase(driver);
      await runCordisImport(driver, TEST_DATABASE, dir, { countries, dryRun: false, strict: true }, log);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("outsideColumns holds each country's contributions to the undated project, and rows still sum", async () => {
      const outside = new Map<string, number>();
      for (const p of participations) if (p.project === `cordis:${undated}`) add(outside, p.country, p.cents);
      expect(outside.size).toBeGreaterThan(1);
      const m = await matrix({ rows: "COUNTRY", columns: "YEAR", measure: "AMOUNT_EUR" });
      for (const row of m.rows)
        expect(exactCents(row.outsideColumns), row.key).toBe(outside.get(row.key) ?? 0);
      expect(exactCents(m.outsideColumns)).toBe([...outside.values()].reduce((s, v) => s + v, 0));
      for (const row of m.rows) {
        const cells = m.cells.filter((c) => c.row === row.key).reduce((s, c) => s + exactCents(c.value), 0);
        expect(exactCents(row.total)).toBe(cells + (outside.get(row.key) ?? 0));
      }
      const projects = await matrix({ rows: "COUNTRY", columns: "YEAR", measure: "PROJECTS" });
      expect(projects.outsideColumns).toBe(outside.size); // one project, counted once in each of its countries
      expect(m.description).toMatch(/no start year/);
    });
  });
});
