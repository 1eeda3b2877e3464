import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { projectRoot } from "../../src/util/project-root.js";
import { clearDatabase, testConfig, testDriver } from "../helpers/database.js";
import { buildWeb, launchChromium } from "./browser.js";
import { writeWebFixture } from "./web-fixture.js";

/**
 * How long a page may wait for what it shows: longer than one answer may take (the server's query
 * time-out, 15 s by default) on a busy 2-core machine; 10 s was shorter than what the waits wait for.
 */
const ANSWER_MS = 60_000;
const root = projectRoot();
const artifacts = path.join(root, "test", "artifacts");

const TOPIC = { A: "topic:legal-basis:E2E.A", B: "topic:legal-basis:E2E.B", C: "topic:legal-basis:E2E.C" };
/** The matrix of the fixture, by hand (see above): [row, column, EUR]. */
const MATRIX: [string, string, number][] = [
  ["country:DE", TOPIC.A, 430_000],
  ["country:DE", TOPIC.B, 300_000],
  ["country:DE", TOPIC.C, 0],
  ["country:FR", TOPIC.A, 250_000],
  ["country:FR", TOPIC.B, 50_000],
  ["country:FR", TOPIC.C, 0],
  ["country:ES", TOPIC.A, 400_000],
  ["country:ES", TOPIC.B, 400_000],
  ["country:ES", TOPIC.C, 0],
  ["country:PT", TOPIC.A, 0],
  ["country:PT", TOPIC.B, 500_000],
  ["country:PT", TOPIC.C, 0],
];

/** The host a request goes to (blob: URLs carry their origin inside), or "" for data: URLs. */
function hostOf(url: string): string {
  if (url.startsWith("data:")) return "";
  const parsed = new URL(url.startsWith("blob:") ? url.slice(5) : url);
  return parsed.hostname;
}

const LOCAL_HOSTS = new Set(["", "localhost", "127.0.0.1", "[::1]", "::1"]);

/** A page that records every request and every console error or uncaught exception. */
async function openPage(context: BrowserContext) {
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  return {
    page,
    requests,
    consoleErrors,
    foreignRequests: () => requests.filter((url) => !LOCAL_HOSTS.has(hostOf(url))),
  };
}

/** The text of an element (textContent: layout-independent), "" when it has none. */
async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? "";
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

async function cells(page: Page): Promise<{ row: string; column: string; value: number; gap: boolean }[]> {
  return page.getByTestId("heatmap-cell").evaluateAll((elements) =>
    elements.map((element) => ({
      row: element.getAttribute("data-row") ?? "",
      column: element.getAttribute("data-column") ?? "",
      value: Number(element.getAttribute("data-value")),
      gap: element.getAttribute("data-gap") === "true",
    })),
  );
}

describe("the web front end in Chromium", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    buildWeb();
    driver = testDriver();
    await clearDatabase(driver);
    await writeWebFixture(driver);
    atlas = await startAtlas(testConfig(), createLogger("silent"));
    const browser = await launchChromium({ viewport: { width: 1400, height: 1000 } });
    context = browser.context;
    closeBrowser = browser.close;
  });

  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
  });

  it("serves the playground with the example operations as tabs, and runs one", async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(context);
    await page.goto(`${atlas.http.url}/`);
    const tabs = page.locator(".graphiql-tab-button");
    await expect.poll(() => tabs.count(), { timeout: ANSWER_MS }).toBeGreaterThanOrEqual(10);
    const names = (await tabs.allTextContents()).map((name) => name.trim());
    for (const name of [
      "Countries",
      "FunderById",
      "ProjectWithParticipants",
      "ProjectsPage",
      "SearchFunders",
      "CountryNetwork",
      "CountryTopicMatrix",
      "FundingGaps",
      "FundingTrend",
    ]) {
      expect(names).toContain(name);
    }

    // The first tab opens with its default variables.
    const variables = () => text(page.locator(".graphiql-editor-tool"));
    expect(names[0]).toBe("CountryNetwork");
    await expect.poll(variables, { timeout: ANSWER_MS }).toContain("topicIds");

    // Another tab brings its own; run it.
    // GraphiQL's tabs are draggable (framer-motion Reorder): under Playwright's synthetic pointer, the
    // first click on a tab often only arms the drag gesture. Click until the tab is the active one.
    const matrixTab = page.locator(".graphiql-tab", {
      has: tabs.filter({ hasText: /^CountryTopicMatrix$/ }),
    });
    await expect
      .poll(
        async () => {
          await matrixTab.locator(".graphiql-tab-button").click();
          // The open tab's button says so (aria-current): the strip is a list of buttons, not a tablist.
          return matrixTab.locator(".graphiql-tab-button").getAttribute("aria-current");
        },
        { timeout: ANSWER_MS },
      )
      .toBe("true");
    await expect.poll(variables, { timeout: ANSWER_MS }).toContain("topicScheme");
    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith("/graphql") &&
        (response.request().postData() ?? "").includes("CountryTopicMatrix"),
    );
    await page.locator(".graphiql-execute-button").click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as {
      data?: { fundingMatrix: { rows: { key: string }[]; cells: unknown[] } };
    };
    expect(body.data?.fundingMatrix.rows.map((row) => row.key).sort()).toEqual([
      "country:DE",
      "country:ES",
      "country:FR",
      "country:PT",
    ]);
    expect(body.data?.fundingMatrix.cells).toHaveLength(12);
    // ... and the page shows that answer in the response pane.
    const shown = () => text(page.locator(".graphiql-response"));
    await expect.poll(shown, { timeout: ANSWER_MS }).toContain("fundingMatrix");
    expect(await shown()).toContain("country:");
    await screenshot(page, "playground");

    // The schema docs and the history are there.
    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    const plugin = page.locator(".graphiql-plugin");
    await expect.poll(() => text(plugin), { timeout: ANSWER_MS }).toContain("Query");
    await plugin.getByText("Query", { exact: true }).first().click();
    await expect.poll(() => text(plugin), { timeout: ANSWER_MS }).toContain("collaborationNetwork");
    await page.locator('.graphiql-sidebar button[aria-label="Show History"]').click();
    await expect.poll(() => text(plugin), { timeout: ANSWER_MS }).toContain("CountryTopicMatrix");
    await screenshot(page, "playground-history");

    expect(consoleErrors).toEqual([]);
    expect(foreignRequests()).toEqual([]);
    await page.close();
  });

  it("draws the network, the heat map and the trend of the fixture, from this origin only", async () => {
    const { page, consoleErrors, foreignRequests, requests } = await openPage(context);
    await page.goto(`${atlas.http.url}/dashboard`);

    const canvas = page.getByTestId("network-canvas");
    await expect.poll(() => canvas.getAttribute("data-drawn"), { timeout: ANSWER_MS }).toBe("true");
    expect(await text(page.getByTestId("network-node-count"))).toBe("3");
    expect(await text(page.getByTestId("network-edge-count"))).toBe("3");
    // sigma draws into canvases (WebGL nodes and edges, 2D labels) inside its container.
    expect(await canvas.locator("canvas").count()).toBeGreaterThan(0);

    const heatmap = page.getByTestId("heatmap");
    await heatmap.waitFor({ timeout: ANSWER_MS });
    const matrix = await cells(page);
    expect(matrix).toHaveLength(12);
    expect(
      matrix.map((cell) => [cell.row, cell.column, cell.value]).sort((a, b) => `${a}`.localeCompare(`${b}`)),
    ).toEqual([...MATRIX].sort((a, b) => `${a}`.localeCompare(`${b}`)));
    expect(matrix.filter((cell) => cell.gap).length).toBe(5);
    expect(matrix.every((cell) => cell.gap === (cell.value === 0))).toBe(true);

    const chart = page.getByTestId("trend-chart");
    await chart.waitFor({ timeout: ANSWER_MS });
    expect(await chart.getByTestId("trend-series").count()).toBe(4);

    expect(await page.getByTestId("error").count()).toBe(0);
    // Every panel finishes loading (the money and gaps panels may still be asking when the trend is drawn;
    // a panel that never settled, e.g. one that refetches on its own URL update, would fail here).
    await expect.poll(() => page.getByTestId("loading").count(), { timeout: ANSWER_MS }).toBe(0);
    expect(await page.getByTestId("error").count()).toBe(0);
    await screenshot(page, "dashboard");

    expect(consoleErrors).toEqual([]);
    expect(foreignRequests()).toEqual([]);
    expect(requests.some((url) => url.endsWith("/graphql"))).toBe(true);
    await page.close();
  });

  it("switches the network level, the per-capita matrix, the trend grouping and the filters", async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(context);
    await page.goto(`${atlas.http.url}/dashboard`);
    const canvas = page.getByTestId("network-canvas");
    const nodeCount = page.getByTestId("network-node-count");
    await expect.poll(() => canvas.getAttribute("data-drawn"), { timeout: ANSWER_MS }).toBe("true");

    await page.getByTestId("level-ORGANISATION").check({ force: true });
    await expect.poll(() => text(nodeCount), { timeout: ANSWER_MS }).toBe("4");
    expect(await text(page.getByTestId("network-edge-count"))).toBe("5");
    // Issue 20 (labels placed before sigma's first render fell off the screen: none was drawn): some
    // labels are chosen, and sigma's label layer has painted pixels.
    await expect
      .poll(async () => JSON.parse((await canvas.getAttribute("data-labelled")) ?? "[]").length, {
        timeout: ANSWER_MS,
      })
      .toBeGreaterThan(0);
    // A string, as the tests' TypeScript has no DOM types: counts the non-transparent pixels.
    const paintedLabelPixels = await page.evaluate(`(() => {
      const layer = document.querySelector("[data-testid=network-canvas] canvas.sigma-labels");
      const pixels = layer.getContext("2d").getImageData(0, 0, layer.width, layer.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return painted;
    })()`);
    expect(paintedLabelPixels).toBeGreaterThan(0);
    await page.getByTestId("level-FUNDER").check({ force: true });
    await expect.poll(() => text(nodeCount), { timeout: ANSWER_MS }).toBe("3");
    expect(await text(page.getByTestId("network-edge-count"))).toBe("2");
    await page.getByTestId("level-COUNTRY").check({ force: true });
    await expect.poll(() => text(nodeCount), { timeout: ANSWER_MS }).toBe("3");
    // Links of at least 2 shared projects: DE-FR only.
    await page.getByTestId("min-weight").fill("2");
    await expect.poll(() => text(nodeCount), { timeout: ANSWER_MS }).toBe("2");
    await page.getByTestId("min-weight").fill("1");
    await expect.poll(() => text(nodeCount), { timeout: ANSWER_MS }).toBe("3");

    await page.getByTestId("heatmap").waitFor();
    await page.getByTestId("per-capita").check();
    const cellValue = async (row: string, column: string) =>
      (await cells(page)).find((cell) => cell.row === row && cell.column === column)?.value;
    await expect.poll(() => cellValue("country:ES", TOPIC.A), { timeout: ANSWER_MS }).toBeCloseTo(10_000, 6);
    expect(await cellValue("country:DE", TOPIC.A)).toBeCloseTo(5_375, 6);
    expect(await cellValue("country:PT", TOPIC.B)).toBeCloseTo(50_000, 6);
    expect(await page.getByTestId("heatmap-cell").count()).toBe(12);
    await screenshot(page, "dashboard-per-capita");
    await page.getByTestId("per-capita").uncheck();

    await page.getByTestId("trend-group").selectOption("CALLS");
    await expect.poll(() => page.getByTestId("trend-series").count(), { timeout: ANSWER_MS }).toBe(2);

    // The topic list offers the fixture's LEGAL_BASIS topics.
    await expect
      .poll(() => page.getByTestId("topic-filter").locator("option").count(), { timeout: ANSWER_MS })
      .toBe(3);
    // Up to 2022: P1 only.
    await page.getByTestId("to-year").fill("2022");
    await page.getByTestId("apply-filters").click();
    await expect.poll(() => text(nodeCount), { timeout: ANSWER_MS }).toBe("2");
    await expect.poll(() => page.getByTestId("heatmap-cell").count(), { timeout: ANSWER_MS }).toBe(6);
    expect((await cellValue("country:DE", TOPIC.A)) ?? -1).toBe(100_000);

    // A reversed range is refused in the page, before any request.
    await page.getByTestId("from-year").fill("2024");
    await page.getByTestId("apply-filters").click();
    await expect
      .poll(() => text(page.getByTestId("filters").getByTestId("error")), { timeout: ANSWER_MS })
      .toContain("after");

    // A range without projects: every panel says so.
    await page.getByTestId("from-year").fill("2030");
    await page.getByTestId("to-year").fill("2031");
    await page.getByTestId("apply-filters").click();
    for (const panel of ["network-panel", "heatmap-panel", "trend-panel"]) {
      await page.getByTestId(panel).getByTestId("empty").waitFor({ timeout: ANSWER_MS });
    }
    expect(await page.getByTestId("network-canvas").count()).toBe(0);
    await screenshot(page, "dashboard-empty");

    expect(consoleErrors).toEqual([]);
    expect(foreignRequests()).toEqual([]);
    await page.close();
  });

  it("shows loading and API errors in the page", async () => {
    const { page, foreignRequests } = await openPage(context);
    let releaseMatrix: () => void = () => {};
    const matrixHeld = new Promise<void>((resolve) => {
      releaseMatrix = resolve;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("DashboardMatrix")) {
        await matrixHeld;
        await route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            errors: [{ message: "Query timed out.", extensions: { code: "QUERY_TIMEOUT" } }],
          }),
        });
        return;
      }
      await route.continue();
    });
    await page.goto(`${atlas.http.url}/dashboard`);
    const panel = page.getByTestId("heatmap-panel");
    await panel.getByTestId("loading").waitFor({ timeout: ANSWER_MS });
    releaseMatrix();
    const error = panel.getByTestId("error");
    await error.waitFor({ timeout: ANSWER_MS });
    expect(await text(error)).toContain("Query timed out.");
    expect(await text(error)).toContain("QUERY_TIMEOUT");
    await screenshot(page, "dashboard-error");
    expect(foreignRequests()).toEqual([]);
    await page.close();
  });

  it("answers 503 with how to build when web/dist is missing, and caches and compresses hashed assets", async () => {
    const page = await fetch(`${atlas.http.url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = await page.text();
    const asset = html.match(/\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const script = await fetch(`${atlas.http.url}${asset}`, { headers: { "accept-encoding": "gzip" } });
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect(script.headers.get("content-encoding")).toBe("gzip");
    const plain = await fetch(`${atlas.http.url}${asset}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(await script.text());
    expect((await fetch(`${atlas.http.url}/assets/nothing-here.js`)).status).toBe(404);

    const { webRoutes } = await import("../../src/server/web-routes.js");
    const express = (await import("express")).default;
    const app = express().use(webRoutes(path.join(os.tmpdir(), "atlas-no-such-dist")));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as { port: number };
      for (const route of ["/", "/dashboard", "/assets/app.js"]) {
        const answer = await fetch(`http://127.0.0.1:${port}${route}`);
        expect(answer.status).toBe(503);
        expect(await answer.text()).toContain("web/dist is missing: run npm run build");
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
