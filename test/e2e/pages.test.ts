import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { projectRoot } from "../../src/util/project-root.js";
import { clearDatabase, testConfig, testDriver } from "../helpers/database.js";
import { buildWeb, launchChromium } from "./browser.js";
import { TOPIC_B, writeWorkbenchFixture } from "./web-fixture.js";

/**
 * Every page in Debian's Chromium against the real server and Neo4j, on the workbench fixture
 * (web-fixture.ts): axe-core finds no serious or critical violation; at 390 px nothing makes the page
 * wider than the screen and every table sits in a container of its own that scrolls; screenshots at 390
 * and 1280 px go to test/artifacts/ (git-ignored) for people to look at.
 */

/** Longer than one answer may take (the server's 15 s query time-out) on a busy 2-core machine. */
const ANSWER_MS = 90_000;
const root = projectRoot();
const artifacts = path.join(root, "test", "artifacts");
const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The pages, by the name of their screenshots: path, and what shows that the page has drawn. */
const PAGES: { name: string; url: string; ready: string }[] = [
  { name: "playground", url: "/", ready: ".graphiql-tab-button" },
  { name: "dashboard", url: "/dashboard", ready: '[data-testid="heatmap-panel"]' },
  { name: "explore-country", url: "/explore/country:FR", ready: '[data-testid="entity-name"]' },
  { name: "explore-organisation", url: "/explore/org:e2e-6", ready: '[data-testid="entity-name"]' },
  { name: "explore-project", url: "/explore/cordis:e2e-2", ready: '[data-testid="entity-name"]' },
  { name: "explore-funder", url: "/explore/funder:e2e-1", ready: '[data-testid="entity-name"]' },
  { name: "explore-consortium", url: "/explore/consortium:e2e", ready: '[data-testid="entity-name"]' },
  {
    name: "explore-programme",
    url: "/explore/programme:e2e-call-1",
    ready: '[data-testid="entity-name"]',
  },
  { name: "curation", url: "/admin", ready: "form" },
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is, one line each with up to 3 of its nodes. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  // A string: this file is type-checked without the DOM's types. label-content-name-mismatch (a link
  // whose accessible name lacks its visible text) is experimental in axe, off unless asked for.
  const violations = (await page.evaluate(
    'axe.run(document, { rules: { "label-content-name-mismatch": { enabled: true } } }).then((result) => result.violations)',
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}, ${violation.nodes.length} nodes): ${violation.help}; ${violation.nodes
          .slice(0, 3)
          .map((node) => `${node.target.join(" ")} ${node.failureSummary ?? ""}`)
          .join(" | ")}`,
    );
}

/** The page has drawn: its marker is there and no panel still says it is loading. */
async function settled(page: Page, ready: string): Promise<void> {
  await page.locator(ready).first().waitFor({ timeout: ANSWER_MS });
  await expect.poll(() => page.getByTestId("loading").count(), { timeout: ANSWER_MS, interval: 250 }).toBe(0);
  expect(await page.getByTestId("error").allTextContents()).toEqual([]);
}

/**
 * What is too wide at this width: the page's scroll width beyond the viewport's, and every table not
 * inside an element that scrolls horizontally (overflow-x auto or scroll).
 */
async function layoutProblems(page: Page): Promise<string[]> {
  // A string: this file is type-checked without the DOM's types.
  return (await page.evaluate(`(() => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      const wide = [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .filter((element) => !element.closest(".table-scroll, .heatmap-scroll"))
        .slice(0, 5)
        .map((element) => element.tagName.toLowerCase() + "." + element.className);
      problems.push("page " + document.documentElement.scrollWidth + " px wide in " + width + " px: " + wide.join(", "));
    }
    for (const table of document.querySelectorAll("table")) {
      let scroller = table.parentElement;
      while (scroller && !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) {
        scroller = scroller.parentElement;
      }
      if (!scroller || scroller === document.body || scroller === document.documentElement) {
        problems.push("table " + (table.getAttribute("data-testid") ?? table.className) + " is not in a scroll container");
      }
    }
    return problems;
  })()`)) as string[];
}

describe("every page: accessible, readable at 390 and 1280 px", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  const pageErrors: string[] = [];

  async function open(url: string, width: number): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    page.on("pageerror", (error) => pageErrors.push(`${url}: uncaught ${error.message}`));
    await page.goto(`${atlas.http.url}${url}`);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    buildWeb();
    driver = testDriver();
    await clearDatabase(driver);
    await writeWorkbenchFixture(driver);
    // These tests read pages, not time limits: on the 2-core machine shared with other test runs the
    // default 15 s query limit was exceeded and panels showed QUERY_TIMEOUT instead of their figures.
    const config = testConfig();
    atlas = await startAtlas(
      { ...config, limits: { ...config.limits, queryTimeoutMs: 120_000 } },
      createLogger("silent"),
    );
    // axe's source goes in as an inline script, which the pages' Content-Security-Policy forbids.
    const browser = await launchChromium({ bypassCSP: true });
    context = browser.context;
    closeBrowser = browser.close;
    // The Vite build alone took 4 minutes on the busy 2-core machine.
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
    expect(pageErrors).toEqual([]);
  });

  /** What the dashboard shows: the filters' values and the panels' figures, as a person reads them. */
  async function dashboardView(page: Page) {
    // The heat-map panel, not its table: a filter may leave it with a message instead (also compared).
    await settled(page, '[data-testid="heatmap-panel"]');
    await page.locator('[data-testid="network-canvas"][data-drawn="true"]').waitFor({ timeout: ANSWER_MS });
    return {
      topics: await page
        .getByTestId("topic-filter")
        .evaluate((select) =>
          [...(select as unknown as { selectedOptions: { value: string }[] }).selectedOptions].map(
            (option) => option.value,
          ),
        ),
      from: await page.getByTestId("from-year").inputValue(),
      to: await page.getByTestId("to-year").inputValue(),
      level: await page.locator('input[name="level"]:checked').getAttribute("value"),
      perCapita: await page.getByTestId("per-capita").isChecked(),
      nodes: await page.getByTestId("network-node-count").textContent(),
      edges: await page.getByTestId("network-edge-count").textContent(),
      cells: await page
        .getByTestId("heatmap-cell")
        .evaluateAll((cells) =>
          cells.map(
            (cell) =>
              `${cell.getAttribute("data-row")} ${cell.getAttribute("data-column")} ${cell.getAttribute("data-value")}`,
          ),
        ),
      heatmapText: await page.getByTestId("heatmap-panel").textContent(),
      trend: await page
        .getByTestId("trend-series")
        .evaluateAll((series) => series.map((s) => s.getAttribute("data-series"))),
    };
  }

  it("a bookmarked dashboard URL reopens the same view: filters, level, per capita, the same numbers", async () => {
    const page = await open("/dashboard", 1280);
    await dashboardView(page);
    await page.getByTestId("topic-filter").selectOption(TOPIC_B);
    await page.getByTestId("from-year").fill("2023");
    await page.getByTestId("apply-filters").click();
    // The radio is drawn under its label (a segmented control): checked as a person clicks the label.
    await page.getByTestId("level-ORGANISATION").check({ force: true });
    await page.getByTestId("per-capita").check();
    // The organisation network of topic B from 2023, by hand: P2 links o2, o3 and o4 (3 links); P3 and P5
    // have one participant each.
    await expect
      .poll(() => page.getByTestId("network-node-count").textContent(), { timeout: ANSWER_MS })
      .toBe("3");
    const shown = await dashboardView(page);
    expect(shown).toMatchObject({
      topics: [TOPIC_B],
      from: "2023",
      to: "",
      level: "ORGANISATION",
      perCapita: true,
    });
    expect(shown.edges).toBe("3");
    const bookmark = page.url();
    const query = new URL(bookmark).searchParams;
    expect(query.getAll("topic")).toEqual([TOPIC_B]);
    expect(query.get("from")).toBe("2023");
    expect(query.get("level")).toBe("ORGANISATION");
    await page.close();

    const reopened = await open(bookmark.slice(atlas.http.url.length), 1280);
    expect(await dashboardView(reopened)).toEqual(shown);
    await reopened.close();
  }, 300_000);

  it("a dashboard URL with invalid values opens the defaults, without an error", async () => {
    const page = await open(
      "/dashboard?level=BOGUS&from=abc&to=99999&links=-3&perCapita=yes&consortium=nope&scheme=drop%20table&measure=x&trend=y",
      1280,
    );
    const view = await dashboardView(page);
    // The country network of the whole fixture, by hand (web-fixture.ts): DE-FR, DE-ES, ES-FR.
    expect(view).toMatchObject({
      topics: [],
      from: "",
      to: "",
      level: "COUNTRY",
      perCapita: false,
      nodes: "3",
      edges: "3",
    });
    expect(await page.getByTestId("min-weight").inputValue()).toBe("1");
    expect(await page.getByTestId("gaps-consortium").inputValue()).toBe("consortium:e2e");
    await page.close();
  }, 300_000);

  it("an explore page keeps its project list's order and page in the URL; a page beyond the last falls back", async () => {
    const page = await open("/explore/funder:e2e-1?sort=title:desc", 1280);
    await settled(page, '[data-testid="projects"]');
    // funder:e2e-1 funds P1-P5 (web-fixture.ts); by title, descending.
    const titles = () =>
      page.getByTestId("project-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-id")));
    const descending = ["cordis:999000001", "cordis:e2e-4", "cordis:e2e-3", "cordis:e2e-2", "cordis:e2e-1"];
    expect(await titles()).toEqual(descending);
    expect(await page.getByTestId("project-sort").inputValue()).toBe("title:desc");
    await page.getByTestId("project-sort").selectOption("title:asc");
    await expect.poll(titles, { timeout: ANSWER_MS }).toEqual([...descending].reverse());
    expect(new URL(page.url()).searchParams.get("sort")).toBe("title:asc");
    await page.close();

    const beyond = await open("/explore/funder:e2e-1?page=9&sort=nonsense", 1280);
    await settled(beyond, '[data-testid="projects"]');
    await expect
      .poll(() => beyond.getByTestId("page-number").textContent(), { timeout: ANSWER_MS })
      .toBe("page 1 of 1");
    expect(await beyond.getByTestId("project-sort").inputValue()).toBe("startYear:desc");
    await beyond.close();
  }, 300_000);

  it("the search box finds an organisation by a name with an accent, and a funder by id, and opens its page", async () => {
    const page = await open("/dashboard", 1280);
    const input = page.getByTestId("search-input");
    await input.waitFor({ timeout: ANSWER_MS });
    // org:e2e-6 is named `=Évry "Lab", Paris` (web-fixture.ts); a stray parenthesis is searched as text.
    // Without the accent first: the index folds accents (its analyzer), so "evry" finds "Évry" too.
    await input.fill("evry");
    await page.locator('[data-testid="search-result"][data-id="org:e2e-6"]').waitFor({ timeout: ANSWER_MS });
    await input.fill("(Évry");
    const evry = page.locator('[data-testid="search-result"][data-id="org:e2e-6"]');
    await evry.waitFor({ timeout: ANSWER_MS });
    expect(await evry.textContent()).toBe('=Évry "Lab", Paris');
    await Promise.all([page.waitForURL(/\/explore\/org:e2e-6$/, { timeout: ANSWER_MS }), evry.click()]);
    await page.getByTestId("entity-name").waitFor({ timeout: ANSWER_MS });
    expect(await page.getByTestId("entity-name").textContent()).toBe('=Évry "Lab", Paris');

    // From the explore page, by id: Enter opens the first thing found.
    const again = page.getByTestId("search-input");
    await again.fill("funder:e2e-3");
    await page
      .locator('[data-testid="search-result"][data-id="funder:e2e-3"]')
      .first()
      .waitFor({ timeout: ANSWER_MS });
    expect(await page.getByTestId("search-result").first().getAttribute("data-id")).toBe("funder:e2e-3");
    await Promise.all([
      page.waitForURL(/\/explore\/funder:e2e-3$/, { timeout: ANSWER_MS }),
      again.press("Enter"),
    ]);
    await page.getByTestId("entity-name").waitFor({ timeout: ANSWER_MS });
    expect(await page.getByTestId("entity-name").textContent()).toBe("Funder 3");
    await page.close();
  }, 300_000);

  for (const { name, url, ready } of PAGES) {
    it(`${name}: no serious or critical axe violation; fits 390 px; screenshots`, async () => {
      const wide = await open(url, 1280);
      await settled(wide, ready);
      await wide.screenshot({ path: path.join(artifacts, `${name}-1280.png`), fullPage: true });
      expect(await seriousViolations(wide)).toEqual([]);
      await wide.close();

      const narrow = await open(url, 390);
      await settled(narrow, ready);
      await narrow.screenshot({ path: path.join(artifacts, `${name}-390.png`), fullPage: true });
      expect(await layoutProblems(narrow)).toEqual([]);
      expect(await seriousViolations(narrow)).toEqual([]);
      await narrow.close();
    }, 300_000);
  }
});
