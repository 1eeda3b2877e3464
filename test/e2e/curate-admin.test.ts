import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Driver } from "neo4j-driver";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../../src/db/schema-setup.js";
import { loadSeed } from "../../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { projectRoot } from "../../src/util/project-root.js";
import { fillTemplate, permedRows, TEMPLATE_SHEET_NAMES } from "../fixtures/curate/permed-workbook.js";
import {
  clearDatabase,
  count,
  graphFingerprint,
  TEST_DATABASE,
  testConfig,
  testDriver,
} from "../helpers/database.js";
import { adminToken, expectData, postGraphQL } from "../helpers/graphql.js";
import { buildWeb, launchChromium } from "./browser.js";

/** Longer than a check or a load may take on a busy 2-core machine. */
const ANSWER_MS = 60_000;
const artifacts = path.join(projectRoot(), "test", "artifacts");
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Fills the downloaded template as a curator would (exceljs, by header name): a funder the seed lacks
 * (the FNR of Luxembourg, whose ERA PerMed page the seed cites) and its ERA PerMed membership.
 */
function fill(template: Buffer, membershipCountry: string): Promise<Buffer> {
  const fnr = permedRows().Funders![0]!;
  return fillTemplate(
    {
      Funders: [fnr],
      Memberships: [
        {
          body: "FNR",
          country: membershipCountry,
          consortium: "ERA PerMed",
          status: "MEMBER",
          evidence: "The FNR funds Luxembourg's part of ERA PerMed's joint calls",
          "source URL": fnr["source URL"]!,
        },
      ],
    },
    { template, about: { workbook: "e2e-curation", title: "Curation page test", curator: "E2E Curator" } },
  );
}

const listItems = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).locator("li").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());

describe("the curation page in Chromium, on the real seed", () => {
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
    atlas = await startAtlas(testConfig({ readsRequireToken: true }), createLogger("silent"));
    // A phone's width: the page must work at 390 px.
    const browser = await launchChromium({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    context = browser.context;
    closeBrowser = browser.close;
  }, 900_000);
  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
  });

  it("downloads the template, refuses a bad workbook with its place, loads a good one after confirmation, and a second load changes nothing", async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      // The browser logs every refused fetch; the refusals this test asks for are expected.
      if (message.type() === "error" && !/status of (400|403)\b/.test(message.text()))
        consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    const runsBefore = await count(driver, "MATCH (r:ImportRun) RETURN count(r)");

    await page.goto(`${atlas.http.url}/admin`);
    const tokenInput = page.getByLabel("Admin token (a JWT with the role admin)");
    const download = page.getByRole("button", { name: "Download the template (.xlsx)" });

    // A token without the admin role: the API's refusal is shown, nothing is downloaded.
    await tokenInput.fill(await adminToken({ roles: [] }));
    await download.click();
    const refused = page.getByRole("alert");
    await refused.waitFor({ timeout: ANSWER_MS });
    expect(await refused.textContent()).toContain("FORBIDDEN");

    // The admin's token: kept in this tab's session storage only.
    const token = await adminToken();
    await tokenInput.fill(token);
    expect(await page.evaluate("Object.values(sessionStorage)")).toEqual([token]);
    expect(await page.evaluate("localStorage.length")).toBe(0);
    expect(await page.evaluate("document.cookie")).toBe("");

    const [downloaded] = await Promise.all([
      page.waitForEvent("download", { timeout: ANSWER_MS }),
      download.click(),
    ]);
    expect(downloaded.suggestedFilename()).toBe("curation-template.xlsx");
    const template = readFileSync((await downloaded.path())!);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(template as unknown as ArrayBuffer);
    expect(read.worksheets.map((w) => w.name)).toEqual(TEMPLATE_SHEET_NAMES);

    // A bad workbook: a country's name where its code belongs, at Memberships!B2 (column B, first row).
    const before = await graphFingerprint(driver);
    const fileInput = page.getByLabel("Workbook (.xlsx)");
    await fileInput.setInputFiles({
      name: "fnr-bad.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await fill(template, "Luxembourg"),
    });
    const checkButton = page.getByRole("button", { name: "Check the workbook" });
    await checkButton.click();
    await page.getByTestId("report").waitFor({ timeout: ANSWER_MS });
    const problems = await listItems(page, "problems");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Memberships!B2 country: "Luxembourg" .*\bLU\b/);
    expect(await page.getByRole("button", { name: "Load into the atlas" }).count()).toBe(0);
    expect(await graphFingerprint(driver)).toEqual(before);

    // The good workbook: matches and the changes a load would make, then the confirmation.
    await fileInput.setInputFiles({
      name: "fnr.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await fill(template, "LU"),
    });
    await checkButton.click();
    const load = page.getByRole("button", { name: "Load into the atlas" });
    await load.waitFor({ timeout: ANSWER_MS });
    expect(await page.getByTestId("problems").count()).toBe(0);
    // The consortium named by its acronym; the name after the id is the seed's.
    expect(await listItems(page, "matches")).toContainEqual(
      expect.stringMatching(/^Memberships!C2 “ERA PerMed” is consortium:era-permed \(.+\)$/),
    );
    const added = await listItems(page, "changes-ADDED");
    // By hand: the new funder, its country (BASED_IN) and its source (SOURCED_FROM the workbook, at its
    // row), and the membership of the Memberships row.
    expect([...added].sort()).toEqual(
      [
        "funder:fnr (Funders row 2)",
        "BASED_IN funder:fnr -> country:LU (Funders row 2)",
        "SOURCED_FROM funder:fnr -> source:workbook-e2e-curation (Funders row 2)",
        "MEMBER_OF funder:fnr -> consortium:era-permed (Memberships row 2)",
      ].sort(),
    );
    expect(await listItems(page, "changes-CHANGED")).toEqual([]);
    expect(await listItems(page, "changes-REMOVED")).toEqual([]);
    expect(await page.getByTestId("report-status").textContent()).toContain(`${added.length} addition(s)`);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, "curate-admin-check.png"), fullPage: true });
    // Nothing written before the confirmation, and nothing wider than the phone.
    expect(await graphFingerprint(driver)).toEqual(before);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);

    await load.click();
    const result = page.getByTestId("load-result");
    await result.waitFor({ timeout: ANSWER_MS });
    expect(await result.getByRole("status").textContent()).toMatch(
      new RegExp(`^Loaded: ${added.length} added, 0 changed, 0 removed \\(import run .+\\)\\.$`),
    );
    await page.screenshot({ path: path.join(artifacts, "curate-admin-loaded.png"), fullPage: true });

    // The graph, through GraphQL: the funder as the workbook states it, a member of ERA PerMed.
    const { funders } = expectData(
      await postGraphQL<{
        funders: {
          name: string;
          acronym: string;
          country: { id: string }[];
          consortia: { id: string }[];
          sources: { id: string }[];
        }[];
      }>(
        atlas.http.url,
        `{ funders(where: { id: { eq: "funder:fnr" } }) { name acronym country { id } consortia { id } sources { id } } }`,
        undefined,
        { authorization: `Bearer ${token}` },
      ),
    );
    expect(funders).toEqual([
      {
        name: "Fonds National de la Recherche Luxembourg",
        acronym: "FNR",
        country: [{ id: "country:LU" }],
        consortia: [{ id: "consortium:era-permed" }],
        sources: [{ id: "source:workbook-e2e-curation" }],
      },
    ]);
    expect(await count(driver, "MATCH (r:ImportRun) RETURN count(r)")).toBe(runsBefore + 1);

    // The same workbook again: the check expects no change, and the load changes nothing.
    const after = await graphFingerprint(driver);
    await checkButton.click();
    await page.getByTestId("report").waitFor({ timeout: ANSWER_MS });
    expect(await page.getByTestId("report-status").textContent()).toContain("a load changes nothing");
    await load.click();
    await result.waitFor({ timeout: ANSWER_MS });
    expect(await result.textContent()).toBe("Nothing changed: the atlas already holds this workbook.");
    expect(await graphFingerprint(driver)).toEqual(after);
    expect(await count(driver, "MATCH (r:ImportRun) RETURN count(r)")).toBe(runsBefore + 1);

    expect(
      requests.filter((url) => !url.startsWith("blob:") && !LOCAL_HOSTS.has(new URL(url).hostname)),
    ).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
