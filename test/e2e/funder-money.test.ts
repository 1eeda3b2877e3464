import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import Papa from "papaparse";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../../src/db/schema-setup.js";
import { runCordisImport } from "../../src/import/cordis/run-cordis-import.js";
import { runOpenAireImport } from "../../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../../src/import/seed/countries.js";
import { defaultSeedDir } from "../../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { projectRoot } from "../../src/util/project-root.js";
import { HORIZON_DIR } from "../helpers/cordis-copy.js";
import { cents, readCordisCsv } from "../helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "../helpers/database.js";
import { buildWeb, launchChromium } from "./browser.js";

/*
 * Issue 21 (item 4 and done-when): funders from OpenAIRE appear in the dashboard beside the EU, each
 * amount with its currency. The graph is loaded through the real importers: the seed's CORDIS Horizon
 * Europe files (runCordisImport) and the real OpenAIRE sample records of test/fixtures/openaire
 * (runOpenAireImport). The real records state no amounts, so the test adds a `granted` object to most of
 * them, in their funders' currencies (INVENTED figures, as test/openaire-analysis.test.ts does), and
 * writes two invented records: one funder whose name has accents and markup characters, and one project
 * of two funders. Every expected figure is recomputed below from the JSON lines written and from the
 * CORDIS CSV (papaparse), never from the product's answers.
 */

const root = projectRoot();
const artifacts = path.join(root, "test", "artifacts");
const FIXTURES = path.join(root, "test", "fixtures", "openaire");
const LOCAL_HOSTS = new Set(["", "localhost", "127.0.0.1", "[::1]", "::1"]);

type Json = Record<string, unknown>;

/** Invented amounts by project code: [currency, fundedAmount]; codes not listed state no amount. */
const GRANTED: Record<string, [string, number]> = {
  // dump-v7-lowercase_projects.jsonl
  "135027": ["EUR", 400_000],
  "ANR-17-CE05-0033": ["EUR", 312_345.67],
  "ANR-09-SEGI-0005": ["EUR", 250_000],
  LE0347462: ["AUD", 150_000.25],
  LP140100567: ["AUD", 80_000],
  DP180101235: ["AUD", 99_999.99],
  LE0989831: ["AUD", 1],
  "3120023": ["CLP", 45_000_000],
  "1040240": ["CLP", 38_500_000],
  // One funder in two currencies: two lines, never one sum.
  "1020683": ["USD", 120_000],
  // alternative-model_projects.jsonl
  "2300188287": ["EUR", 498_000],
  "2300189714": ["EUR", 750_000.5],
  "1R01GM100233-01": ["USD", 1_523_412.5],
  "2R01GM108348-04A1": ["USD", 2_876_000],
  "5T32HG004947-04": ["USD", 745_310.25],
  "5R01HD077482-05": ["USD", 433_125],
  "1032255": ["USD", 289_999.99],
  IZ73Z0_152601: ["CHF", 1_250_000],
  "1002190": ["AUD", 650_000.4],
  "009-0092660-2655": ["HRK", 120_000],
};

/** Accents, an en dash, quotes and markup characters: shown as text, never as markup. */
const SPECIAL_NAME = 'Fonds de recherche du Québec – Santé & "Société" <FRQS>';

/** The two invented records, in the 7.x layout. */
const INVENTED: Json[] = [
  {
    id: "40|frqs________::e2e-special-characters",
    code: "FRQS-E2E-1",
    title: "Invented record: a funder name with accents and markup characters",
    startdate: "2022-04-01",
    funding: [{ shortName: "FRQS", name: SPECIAL_NAME, jurisdiction: "CA", funding_stream: null }],
    granted: { currency: "CAD", totalcost: 0, fundedamount: 245_000 },
  },
  {
    id: "40|anr_________::e2e-two-funders",
    code: "ANR-FRQS-E2E-2",
    title: "Invented record: a project of two funders",
    startdate: "2023-01-01",
    funding: [
      {
        shortName: "ANR",
        name: "French National Research Agency (ANR)",
        jurisdiction: "FR",
        funding_stream: null,
      },
      { shortName: "FRQS", name: SPECIAL_NAME, jurisdiction: "CA", funding_stream: null },
    ],
    granted: { currency: "EUR", totalcost: 0, fundedamount: 100_000 },
  },
];

const jsonLines = (file: string): Json[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Json);

/** The funders a record names, in either layout (7.x `funding[]`, funder model `funder`). */
function fundersOf(record: Json): { shortName: string; name: string; jurisdiction: string }[] {
  const list = (record.funding ?? (record.funder ? [record.funder] : [])) as {
    shortName: string;
    name: string;
    jurisdiction: string;
  }[];
  return list;
}

/** The fundedAmount and currency of a record as written (either spelling), or null. */
function grantOf(record: Json): { currency: string; amount: number } | null {
  const granted = record.granted as Json | undefined;
  if (!granted) return null;
  const amount = (granted.fundedamount ?? granted.fundedAmount) as number | undefined;
  return amount == null ? null : { currency: granted.currency as string, amount };
}

interface ExpectedRow {
  country: string;
  funder: string;
  currency: string;
  /** Whole cents. */
  cents: number;
  projects: number;
}

interface ShownRow {
  country: string;
  funder: string;
  currency: string;
  amount: number;
  projects: number;
  amountText: string;
  name: string;
}

function hostOf(url: string): string {
  if (url.startsWith("data:")) return "";
  return new URL(url.startsWith("blob:") ? url.slice(5) : url).hostname;
}

describe("issue 21.4: OpenAIRE funders' money in the dashboard beside the EU, each amount with its currency", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let dumpDir: string;
  const consoleErrors: string[] = [];
  const foreign: string[] = [];
  /** Every OpenAIRE record written, as written. */
  let records: Json[] = [];
  let expectedRows: ExpectedRow[] = [];
  let expectedWithoutAmount = 0;
  let expectedSeveral = 0;
  let skippedEc = 0;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    buildWeb();

    // The dump: the two real files with the invented amounts added, and the invented records.
    dumpDir = mkdtempSync(path.join(os.tmpdir(), "atlas-funder-money-"));
    for (const name of ["dump-v7-lowercase_projects.jsonl", "alternative-model_projects.jsonl"]) {
      const lines = jsonLines(path.join(FIXTURES, name)).map((record) => {
        const granted = GRANTED[String(record.code)];
        if (!granted) return record;
        const [currency, amount] = granted;
        // 7.x spells the amounts in lowercase, the funder model as 8.x does.
        return {
          ...record,
          granted: name.startsWith("dump-v7")
            ? { currency, totalcost: 0, fundedamount: amount }
            : { currency, totalCost: 0, fundedAmount: amount },
        };
      });
      writeFileSync(path.join(dumpDir, name), `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    }
    writeFileSync(
      path.join(dumpDir, "invented_projects.jsonl"),
      `${INVENTED.map((line) => JSON.stringify(line)).join("\n")}\n`,
    );

    // Expected, from the files as written: per funder short name and currency, the sum of fundedAmount
    // of the projects of that one funder; projects of several funders and without amount counted apart.
    records = [
      "dump-v7-lowercase_projects.jsonl",
      "alternative-model_projects.jsonl",
      "invented_projects.jsonl",
    ].flatMap((name) => jsonLines(path.join(dumpDir, name)));
    const byKey = new Map<string, ExpectedRow>();
    for (const record of records) {
      const funders = fundersOf(record);
      // README: the OpenAIRE records of the European Commission are not imported (CORDIS is the source
      // of record for its grants).
      if (funders.some((funder) => funder.shortName === "EC")) {
        skippedEc++;
        continue;
      }
      if (new Set(funders.map((funder) => funder.shortName)).size > 1) {
        expectedSeveral++;
        continue;
      }
      const grant = grantOf(record);
      if (!grant) {
        expectedWithoutAmount++;
        continue;
      }
      const funder = funders[0]!;
      const key = `${funder.shortName}|${grant.currency}`;
      const row = byKey.get(key) ?? {
        country: funder.jurisdiction,
        funder: `funder:openaire:${funder.shortName}`,
        currency: grant.currency,
        cents: 0,
        projects: 0,
      };
      row.cents += Math.round(grant.amount * 100);
      row.projects++;
      byKey.set(key, row);
    }
    // The CORDIS projects: the European Commission's, in EUR (ecMaxContribution).
    const cordis = readCordisCsv(path.join(HORIZON_DIR, "project.csv"));
    const withAmount = cordis.filter((row) => row.ecMaxContribution?.trim());
    expectedWithoutAmount += cordis.length - withAmount.length;
    byKey.set("cordis", {
      country: "EU",
      funder: "funder:european-commission",
      currency: "EUR",
      cents: withAmount.reduce((sum, row) => sum + cents(row.ecMaxContribution!), 0),
      projects: withAmount.length,
    });
    expectedRows = [...byKey.values()];

    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const log = createLogger("silent");
    const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
    await runCordisImport(
      driver,
      TEST_DATABASE,
      HORIZON_DIR,
      { countries, dryRun: false, strict: false },
      log,
    );
    const report = await runOpenAireImport(
      driver,
      TEST_DATABASE,
      dumpDir,
      { countries, dryRun: false, strict: false },
      log,
    );
    expect(report.rejected).toEqual([]);
    expect(report.skippedEuropeanCommission).toBe(skippedEc);
    atlas = await startAtlas(testConfig(), log);
    const browser = await launchChromium({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    context = browser.context;
    closeBrowser = browser.close;
  });

  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
    if (dumpDir) rmSync(dumpDir, { recursive: true, force: true });
  });

  async function open(): Promise<Page> {
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    page.on("request", (request) => {
      if (!LOCAL_HOSTS.has(hostOf(request.url()))) foreign.push(request.url());
    });
    await page.goto(`${atlas.http.url}/dashboard`);
    return page;
  }

  const shownRows = (page: Page): Promise<ShownRow[]> =>
    page.getByTestId("funder-money-row").evaluateAll((rows) =>
      rows.map((row) => ({
        country: row.getAttribute("data-country") ?? "",
        funder: row.getAttribute("data-funder") ?? "",
        currency: row.getAttribute("data-currency") ?? "",
        amount: Number(row.getAttribute("data-amount")),
        projects: Number(row.getAttribute("data-projects")),
        amountText: row.querySelector("[data-testid=funder-money-amount]")?.textContent ?? "",
        name: row.querySelector("[data-testid=funder-money-name]")?.textContent ?? "",
      })),
    );

  const keyed = (rows: { funder: string; currency: string }[]) =>
    rows.map((row) => `${row.funder}|${row.currency}`).sort();

  /** Waits until the money panel has answered for the filters just applied (its rows are these keys). */
  async function waitForRows(page: Page, keys: string[]): Promise<ShownRow[]> {
    await expect
      .poll(async () => keyed(await shownRows(page)), { timeout: 60_000 })
      .toEqual([...keys].sort());
    return shownRows(page);
  }

  it("shows every funder's money in its own currency, EU first, recomputed from the files; the note counts what is in no line", async () => {
    const page = await open();
    const rows = await waitForRows(page, keyed(expectedRows));
    // The figures, to the cent, and every one with its currency code in front (never a bare number).
    expect(
      rows
        .map((row) => [row.country, row.funder, row.currency, Math.round(row.amount * 100), row.projects])
        .sort(),
    ).toEqual(
      expectedRows.map((row) => [row.country, row.funder, row.currency, row.cents, row.projects]).sort(),
    );
    for (const row of rows) {
      const match = /^([A-Z]{3}) ([\d,]+(?:\.\d+)?)$/.exec(row.amountText);
      expect(match, row.amountText).not.toBeNull();
      expect(match![1]).toBe(row.currency);
      expect(Math.round(Number(match![2]!.replaceAll(",", "")) * 100)).toBe(Math.round(row.amount * 100));
    }
    // National and EU money side by side: the EU group first (the Commission, from CORDIS); national
    // funders grouped by their country, e.g. NIH's USD under US.
    const groups = await page
      .getByTestId("funder-money-country")
      .evaluateAll((bodies) => bodies.map((body) => body.getAttribute("data-country")));
    expect(groups[0]).toBe("EU");
    expect(new Set(groups).size).toBe(groups.length);
    expect(rows.filter((row) => row.country === "EU").map((row) => row.funder)).toEqual([
      "funder:european-commission",
    ]);
    const nih = rows.find((row) => row.funder === "funder:openaire:NIH")!;
    expect([nih.country, nih.currency]).toEqual(["US", "USD"]);
    // One funder in two currencies: two lines.
    expect(
      rows
        .filter((row) => row.funder === "funder:openaire:CONICYT")
        .map((row) => row.currency)
        .sort(),
    ).toEqual(["CLP", "USD"]);
    // Rows of one country stay together: the row order follows the group order.
    const countriesInOrder = rows.map((row) => row.country);
    expect(countriesInOrder.filter((country, i) => countriesInOrder.indexOf(country) === i)).toEqual(groups);

    const note = page.getByTestId("funder-money-note");
    expect(Number(await note.getAttribute("data-several"))).toBe(expectedSeveral);
    expect(Number(await note.getAttribute("data-without-amount"))).toBe(expectedWithoutAmount);
    expect(expectedSeveral).toBe(1);
    expect(await note.textContent()).toContain(
      `${expectedSeveral} project funded under programmes of several funders`,
    );
    expect(await note.textContent()).toContain(`${expectedWithoutAmount.toLocaleString("en")} projects`);

    // Names with accents and markup characters render as text, in the panel and in the funder filter.
    const names = new Map(rows.map((row) => [row.funder, row.name]));
    expect(names.get("funder:openaire:FRQS")).toBe(SPECIAL_NAME);
    const conicyt = fundersOf(records.find((record) => fundersOf(record)[0]?.shortName === "CONICYT")!)[0]!;
    expect(conicyt.name).toMatch(/[óé]/);
    expect(names.get("funder:openaire:CONICYT")).toBe(conicyt.name);
    const option = page.getByTestId("funder-filter").locator('option[value="funder:openaire:FRQS"]');
    expect(await option.textContent()).toContain(SPECIAL_NAME);
    expect(await page.getByTestId("funder-money-panel").locator("frqs").count()).toBe(0);

    // The CSV has the API's figures, full precision, with the currency of each.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("funder-money-csv").click(),
    ]);
    const text = readFileSync(await download.path(), "utf8");
    expect(text.startsWith("\ufeff")).toBe(true);
    const csv = Papa.parse<Record<string, string>>(text.slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(
      csv.map((row) => [row.funder_id, row.currency, Math.round(Number(row.amount) * 100)]).sort(),
    ).toEqual(expectedRows.map((row) => [row.funder, row.currency, row.cents]).sort());
    expect(csv.find((row) => row.funder_id === "funder:openaire:FRQS")?.funder_name).toBe(SPECIAL_NAME);

    expect(await page.getByTestId("error").count()).toBe(0);
    await page.screenshot({ path: path.join(artifacts, "dashboard-funder-money.png"), fullPage: true });
    await page.close();
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("an OpenAIRE funder's explore page sums its projects' amounts per currency, never as 'no amount'", async () => {
    // Expected from the records written: every project of NIH (alone or with another funder), its
    // amount in EUR into the EUR total, any other currency apart; projects without `granted` uncounted.
    const nih = records.filter((record) => {
      const funders = fundersOf(record).map((funder) => funder.shortName);
      return funders.includes("NIH") && !funders.includes("EC");
    });
    const perCurrency = new Map<string, number>();
    let withoutAmount = 0;
    for (const record of nih) {
      const grant = grantOf(record);
      if (!grant) withoutAmount++;
      else
        perCurrency.set(
          grant.currency,
          (perCurrency.get(grant.currency) ?? 0) + Math.round(grant.amount * 100),
        );
    }
    const eurCents = perCurrency.get("EUR") ?? 0;
    perCurrency.delete("EUR");
    // Not vacuous: NIH states USD amounts in these files.
    expect(perCurrency.get("USD")).toBeGreaterThan(0);

    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    await page.goto(`${atlas.http.url}/explore/funder:openaire:NIH`);
    const total = page.getByTestId("project-funding-total");
    await total.waitFor({ timeout: 90_000 });
    expect(Math.round(Number(await total.getAttribute("data-value")) * 100)).toBe(eurCents);
    const others = await page
      .getByTestId("project-funding-other")
      .evaluateAll((spans) =>
        spans.map((span) => [span.getAttribute("data-currency"), Number(span.getAttribute("data-value"))]),
      );
    expect(others.map(([currency, value]) => [currency, Math.round(Number(value) * 100)])).toEqual(
      [...perCurrency].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const text = (await total.textContent()) ?? "";
    expect(text).toContain("no exchange rate applied");
    if (withoutAmount) expect(text).toContain(`${withoutAmount} of ${nih.length} have no amount recorded`);
    else expect(text).not.toContain("no amount");
    expect(Number(await page.getByTestId("project-total").getAttribute("data-value"))).toBe(nih.length);
    // Each row states its amount with its currency.
    const cells = await page
      .getByTestId("project-row")
      .evaluateAll((rows) => rows.map((row) => row.lastElementChild?.textContent ?? ""));
    expect(cells.some((cell) => /^USD [\d,]+\.\d\d$/.test(cell.trim()))).toBe(true);
    await page.close();
    expect(consoleErrors).toEqual([]);
  });

  it("a funder filter narrows the money panel, the network, the heat map and the trend, and the GraphML link", async () => {
    const page = await open();
    await waitForRows(page, keyed(expectedRows));
    const nodeCount = page.getByTestId("network-node-count");
    const canvas = page.getByTestId("network-canvas");
    await expect.poll(() => canvas.getAttribute("data-drawn"), { timeout: 60_000 }).toBe("true");
    const allNodes = await nodeCount.textContent();
    expect(Number(allNodes)).toBeGreaterThan(0);
    await page.getByTestId("heatmap").waitFor({ timeout: 60_000 });
    const allCells = await page.getByTestId("heatmap-cell").count();
    expect(allCells).toBeGreaterThan(0);
    await page.getByTestId("trend-chart").waitFor({ timeout: 60_000 });

    // NIH and ANR: their OpenAIRE records have no participants (the sample has no organisation or
    // relation dump), so no country collaborates, no country has a contribution and no trend series.
    await expect
      .poll(() => page.getByTestId("funder-filter").locator('option[value="funder:openaire:NIH"]').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await page.getByTestId("funder-filter").selectOption(["funder:openaire:NIH", "funder:openaire:ANR"]);
    await page.getByTestId("apply-filters").click();
    const narrowed = await waitForRows(
      page,
      expectedRows
        .filter((row) => ["funder:openaire:NIH", "funder:openaire:ANR"].includes(row.funder))
        .map((row) => `${row.funder}|${row.currency}`),
    );
    expect(narrowed.map((row) => [row.funder, row.currency])).toEqual([
      ["funder:openaire:ANR", "EUR"],
      ["funder:openaire:NIH", "USD"],
    ]);
    // The ANR project of two funders is in no line, but counted in the note.
    expect(Number(await page.getByTestId("funder-money-note").getAttribute("data-several"))).toBe(1);
    for (const panel of ["network-panel", "heatmap-panel", "trend-panel"]) {
      await page.getByTestId(panel).getByTestId("empty").waitFor({ timeout: 60_000 });
    }
    await expect.poll(() => page.getByTestId("funder-filter-scope").count(), { timeout: 60_000 }).toBe(1);

    // The European Commission: every CORDIS project is the Commission's, so the network and the heat
    // map are whole again, and the money panel has its line only.
    await page.getByTestId("funder-filter").selectOption(["funder:european-commission"]);
    await page.getByTestId("apply-filters").click();
    await waitForRows(page, ["funder:european-commission|EUR"]);
    await expect.poll(() => nodeCount.textContent(), { timeout: 60_000 }).toBe(allNodes);
    await expect.poll(() => page.getByTestId("heatmap-cell").count(), { timeout: 60_000 }).toBe(allCells);
    const graphml = page.getByRole("link", { name: /GraphML/ });
    const href = (await graphml.getAttribute("href")) ?? "";
    expect(new URL(href, atlas.http.url).searchParams.getAll("funderIds")).toEqual([
      "funder:european-commission",
    ]);
    const exported = await fetch(new URL(href, atlas.http.url));
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain("<graphml");

    await page.close();
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
