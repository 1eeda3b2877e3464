import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import Papa from "papaparse";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readLensFile } from "../../src/classify/lens-file.js";
import { applySchema, schemaStatements } from "../../src/db/schema-setup.js";
import { defaultSeedDir, loadSeed } from "../../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "../helpers/database.js";
import { expectData, postGraphQL } from "../helpers/graphql.js";
import { predict } from "../helpers/lens-quality.js";
import { buildWeb, launchChromium } from "./browser.js";

/** Longer than one answer may take (the server's 15 s query time-out) on a busy 2-core machine. */
const ANSWER_MS = 60_000;
const seedDir = defaultSeedDir();

const csv = (file: string) =>
  Papa.parse<Record<string, string>>(readFileSync(file, "utf8").replace(/^\uFEFF/, ""), {
    delimiter: ";",
    header: true,
    skipEmptyLines: true,
  }).data;

/**
 * The CORE projects of the seed's CORDIS exports with a participant in `country` (CORDIS code), from
 * the raw files: the lens run over the rows read with papaparse, the participants' countries from
 * organization.csv. Independent of the importer, the graph and the analyses.
 */
function coreProjectsIn(country: string): Set<string> {
  const lens = readLensFile(path.join(seedDir, "lenses", "atlas.yaml"));
  const found = new Set<string>();
  for (const folder of readdirSync(path.join(seedDir, "cordis"))) {
    const dir = path.join(seedDir, "cordis", folder);
    if (!existsSync(path.join(dir, "project.csv"))) continue;
    const euroSciVoc = existsSync(path.join(dir, "euroSciVoc.csv"))
      ? csv(path.join(dir, "euroSciVoc.csv"))
      : [];
    const projects = csv(path.join(dir, "project.csv")).map((row) => ({
      id: `cordis:${row.id}`,
      title: (row.title ?? "").trim(),
      objective: (row.objective ?? "").trim(),
      keywords: (row.keywords ?? "").trim(),
      euroSciVoc: euroSciVoc
        .filter((entry) => entry.projectID === row.id)
        .map((entry) => ({ code: entry.euroSciVocCode!.trim(), path: entry.euroSciVocPath!.trim() })),
      callTopics: (row.topics ?? "")
        .split(/[;,]/)
        .map((code) => code.trim())
        .filter(Boolean),
    }));
    const tiers = predict(lens, projects);
    for (const org of csv(path.join(dir, "organization.csv"))) {
      const id = `cordis:${org.projectID}`;
      if (org.country === country && tiers.get(id)?.tier === "CORE") found.add(id);
    }
  }
  return found;
}

/** The curated projects and coordination actions of seed/*.yaml with a partner organisation in `country`. */
function curatedProjectsWithPartnerIn(country: string): Set<string> {
  const files = readdirSync(seedDir)
    .filter((name) => name.endsWith(".yaml"))
    .map(
      (name) =>
        parseYaml(readFileSync(path.join(seedDir, name), "utf8")) as Record<string, unknown[] | undefined>,
    );
  type CuratedRecord = { id: string; country?: string; partners?: { organisation: string }[] };
  const located = new Map(
    files
      .flatMap((file) => (file.organisations ?? []) as CuratedRecord[])
      .map((org) => [org.id, org.country]),
  );
  const found = new Set<string>();
  for (const file of files)
    for (const record of [...(file.coordinationActions ?? []), ...(file.projects ?? [])] as CuratedRecord[])
      if ((record.partners ?? []).some((partner) => located.get(partner.organisation) === country))
        found.add(record.id);
  return found;
}

describe("the PM relevance tier in the dashboard and the explore pages, on the real seed", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    buildWeb();
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    atlas = await startAtlas(testConfig(), createLogger("silent"));
    const browser = await launchChromium({ viewport: { width: 1400, height: 1000 } });
    context = browser.context;
    closeBrowser = browser.close;
  }, 900_000);
  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
  });

  it("starts on CORE, draws the heat map of CORE projects, and the explore page counts the same CORE projects", async () => {
    const page = await context.newPage();
    await page.goto(`${atlas.http.url}/dashboard`);
    const core = page.getByTestId("tier-CORE");
    await core.waitFor({ timeout: ANSWER_MS });
    expect(await core.isChecked()).toBe(true);
    expect(await page.getByTestId("tier-BIOMEDICAL").isChecked()).toBe(false);

    // The heat map shows the CORE answer of the API, not the answer over all projects.
    const M = `query M($filters: AnalysisFilters) { fundingMatrix(rows: COUNTRY, columns: TOPIC, filters: $filters) { cells { row column value } } }`;
    type Matrix = { fundingMatrix: { cells: { row: string; column: string; value: number }[] } };
    const sum = (m: Matrix) =>
      m.fundingMatrix.cells.reduce((total, cell) => total + Math.round(cell.value * 100), 0);
    const coreAnswer = await postGraphQL<Matrix>(atlas.http.url, M, {
      filters: { pmRelevance: ["CORE"], topicScheme: "LEGAL_BASIS" },
    }).then(expectData);
    const allAnswer = await postGraphQL<Matrix>(atlas.http.url, M, {
      filters: { topicScheme: "LEGAL_BASIS" },
    }).then(expectData);
    expect(sum(coreAnswer)).toBeLessThan(sum(allAnswer));
    await page.getByTestId("heatmap").waitFor({ timeout: ANSWER_MS });
    const shown = await page
      .getByTestId("heatmap-cell")
      .evaluateAll((cells) =>
        cells.reduce((total, cell) => total + Math.round(Number(cell.getAttribute("data-value")) * 100), 0),
      );
    expect(shown).toBe(sum(coreAnswer));

    // The row link of Germany carries the tier, and its page counts the CORE projects of the raw CORDIS
    // files and the curated projects with a German partner that the graph tiers CORE.
    const curated = curatedProjectsWithPartnerIn("country:DE");
    const { records } = await driver.executeQuery(
      "MATCH (p:Project) WHERE p.id IN $ids AND p.pmRelevance = 'CORE' RETURN p.id AS id",
      { ids: [...curated] },
      { database: TEST_DATABASE },
    );
    const expected = new Set([
      ...coreProjectsIn("DE"),
      ...records.map((record) => record.get("id") as string),
    ]);
    const link = page.locator('a[href^="/explore/country:DE"]').first();
    const href = (await link.getAttribute("href")) ?? "";
    expect(new URL(href, atlas.http.url).searchParams.getAll("tier")).toEqual(["CORE"]);
    await page.goto(new URL(href, atlas.http.url).toString());
    const figure = page.getByTestId("figure-projects");
    await figure.waitFor({ timeout: ANSWER_MS });
    expect(Number(await figure.getAttribute("data-value"))).toBe(expected.size);
    expect(await page.getByTestId("filters-note").textContent()).toContain("personalised medicine (core)");
    await page.close();
  }, 300_000);
});
