import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import Papa from "papaparse";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../../src/db/schema-setup.js";
import { loadSeed } from "../../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { projectRoot } from "../../src/util/project-root.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "../helpers/database.js";
import { expectData, postGraphQL } from "../helpers/graphql.js";
import { buildWeb, launchChromium } from "./browser.js";

/*
 * The dashboard's network-analytics panels (co-funding, Leiden communities, year windows, portfolio
 * similarity) in Debian's Chromium against the real server and Neo4j, on the real seed (its curated YAML
 * and its CORDIS exports through the seed loader and the CORDIS importer). Each panel's figures are
 * compared with the API's answer to the same arguments, asked here through /graphql; each CSV download
 * is parsed (papaparse) and compared with the same answer row by row; axe-core finds no serious or
 * critical violation at 1280 and 390 px, nothing is wider than 390 px but tables in their scroll
 * containers; screenshots go to test/artifacts/ (git-ignored).
 */

/** Longer than one answer may take on a busy 2-core machine. */
const ANSWER_MS = 120_000;
const root = projectRoot();
const artifacts = path.join(root, "test", "artifacts");
const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const LOCAL_HOSTS = new Set(["", "localhost", "127.0.0.1", "[::1]", "::1"]);

/** The view under test: every project (no tier), start years 2018-2025, the panels' own settings. */
const FROM = 2018;
const TO = 2025;
const VIEW = `/dashboard?tier=&from=${FROM}&to=${TO}&swindow=2&pid=country:DE`;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
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

/** What is too wide: the page beyond the viewport, and every table not inside a horizontal scroller. */
async function layoutProblems(page: Page): Promise<string[]> {
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

function hostOf(url: string): string {
  if (url.startsWith("data:")) return "";
  return new URL(url.startsWith("blob:") ? url.slice(5) : url).hostname;
}

/** The rows of a CSV download (UTF-8 with a byte-order mark), by header. */
async function downloadCsv(page: Page, button: Locator): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const text = readFileSync(await download.path(), "utf8");
  expect(text.startsWith("\ufeff")).toBe(true);
  return Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data;
}

/** Every element's attributes of `names`, in page order. */
const attributes = (locator: Locator, names: string[]) =>
  locator.evaluateAll(
    (elements, names) =>
      elements.map((element) =>
        Object.fromEntries(names.map((name) => [name, element.getAttribute(name) ?? ""])),
      ),
    names,
  );

/** One window of networkSeries as the test asks for it. */
type WindowAnswer = {
  fromYear: number;
  toYear: number;
  nodeKeys: string[];
  totalEdges: number;
  joined: string[];
  left: string[];
  edgesJoined: number;
  edgesLeft: number;
};

describe("the network-analytics panels of the dashboard show the API's answers, download them as CSV, and are accessible", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const foreign: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: answers are compared field by field
  const api = (query: string, variables?: Record<string, unknown>): Promise<any> =>
    postGraphQL(atlas.http.url, query, variables).then(expectData);

  async function open(url: string, width: number): Promise<Page> {
    const opened = await context.newPage();
    await opened.setViewportSize({ width, height: 1000 });
    opened.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    opened.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    opened.on("request", (request) => {
      if (!LOCAL_HOSTS.has(hostOf(request.url()))) foreign.push(request.url());
    });
    await opened.goto(`${atlas.http.url}${url}`);
    return opened;
  }

  /** Every panel has answered: no loading indicator, no error. */
  async function settled(on: Page): Promise<void> {
    for (const panel of ["co-funding-panel", "communities-panel", "series-panel", "portfolio-panel"])
      await on.getByTestId(panel).waitFor({ timeout: ANSWER_MS });
    await expect.poll(() => on.getByTestId("loading").count(), { timeout: ANSWER_MS, interval: 250 }).toBe(0);
    expect(await on.getByTestId("error").allTextContents()).toEqual([]);
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    buildWeb();
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    // The seed states no funder's commitment to a call. INVENTED commitments, written before the server
    // starts (so no answer is cached without them), on the national funders' links to the first three
    // calls of the years shown: EUR with cents, and every third link in SEK, so that a pair can have two
    // currencies, shown apart and never added.
    await driver.executeQuery(
      `MATCH (c:Programme {kind: 'TRANSNATIONAL_CALL'})-[fb:FUNDED_BY]->(f:Funder)
       WHERE c.startYear >= $from AND c.startYear <= $to AND coalesce(f.kind, '') <> 'EUROPEAN_COMMISSION'
       WITH c, fb, f ORDER BY c.id, f.id
       WITH c, collect(fb) AS links ORDER BY c.id LIMIT 3
       UNWIND range(0, size(links) - 1) AS i
       WITH links[i] AS fb, i
       SET fb.commitmentOriginal = CASE WHEN i % 3 = 2 THEN 2500000 ELSE 250000.25 + i END,
           fb.commitmentCurrency = CASE WHEN i % 3 = 2 THEN 'SEK' ELSE 'EUR' END`,
      { from: FROM, to: TO },
      { database: TEST_DATABASE },
    );
    const config = testConfig();
    atlas = await startAtlas(
      { ...config, limits: { ...config.limits, queryTimeoutMs: 120_000 } },
      createLogger("silent"),
    );
    // axe's source goes in as an inline script, which the pages' Content-Security-Policy forbids.
    const browser = await launchChromium({ bypassCSP: true, acceptDownloads: true });
    context = browser.context;
    closeBrowser = browser.close;
    page = await open(VIEW, 1280);
    // The seed load and the Vite build each took minutes on the busy 2-core machine.
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("every panel answers, without an error", async () => {
    await settled(page);
  });

  describe("co-funding", () => {
    const query = `query C($from: Int, $to: Int, $ec: Boolean) {
      coFundingNetwork(fromYear: $from, toYear: $to, includeEuropeanCommission: $ec) {
        nodes { key label }
        edges { source target calls callKeys commitments { currency amount } callsWithoutCommitment }
        calls { key label }
      }
    }`;

    // biome-ignore lint/suspicious/noExplicitAny: an API answer
    async function checkPanel(network: any) {
      const panel = page.getByTestId("co-funding-panel");
      await expect
        .poll(() => panel.getByTestId("co-funding-edge").count(), { timeout: ANSWER_MS })
        .toBe(network.edges.length);
      expect(network.edges.length).toBeGreaterThan(1); // not vacuous
      const rows = await attributes(panel.getByTestId("co-funding-edge"), [
        "data-source",
        "data-target",
        "data-calls",
        "data-without-commitment",
      ]);
      expect(rows).toEqual(
        network.edges.map(
          (e: { source: string; target: string; calls: number; callsWithoutCommitment: number }) => ({
            "data-source": e.source,
            "data-target": e.target,
            "data-calls": String(e.calls),
            "data-without-commitment": String(e.callsWithoutCommitment),
          }),
        ),
      );
      const shown = panel.getByTestId("co-funding-edge");
      for (const [i, edge] of network.edges.entries()) {
        const row = shown.nth(i);
        expect(await attributes(row.getByTestId("co-funding-call"), ["data-call"])).toEqual(
          edge.callKeys.map((key: string) => ({ "data-call": key })),
        );
        expect(
          await attributes(row.getByTestId("co-funding-commitment"), ["data-currency", "data-amount"]),
        ).toEqual(
          edge.commitments.map((c: { currency: string; amount: number }) => ({
            "data-currency": c.currency,
            "data-amount": String(c.amount),
          })),
        );
        // Words, not ids: the funders' and calls' names, every amount with its currency code.
        const text = (await row.textContent()) ?? "";
        expect(text).not.toMatch(/funder:|programme:/);
        for (const c of edge.commitments) expect(text).toContain(`${c.currency} `);
      }
      return rows;
    }

    // biome-ignore lint/suspicious/noExplicitAny: an API answer
    function expectedCsv(network: any) {
      const funder = new Map(network.nodes.map((n: { key: string; label: string }) => [n.key, n.label]));
      const call = new Map(network.calls.map((c: { key: string; label: string }) => [c.key, c.label]));
      return network.edges.flatMap(
        (e: {
          source: string;
          target: string;
          calls: number;
          callKeys: string[];
          commitments: { currency: string; amount: number }[];
          callsWithoutCommitment: number;
        }) =>
          (e.commitments.length ? e.commitments : [null]).map((c) => ({
            source_id: e.source,
            source: funder.get(e.source),
            target_id: e.target,
            target: funder.get(e.target),
            calls: String(e.calls),
            call_ids: e.callKeys.join("; "),
            call_names: e.callKeys.map((key) => call.get(key)).join("; "),
            currency: c?.currency ?? "",
            commitment: c ? String(c.amount) : "",
            calls_without_commitment: String(e.callsWithoutCommitment),
          })),
      );
    }

    it("shows the co-funding pairs of the API with their calls and commitments per currency; the CSV has them row by row", async () => {
      const { coFundingNetwork: network } = await api(query, { from: FROM, to: TO, ec: false });
      await checkPanel(network);
      const csv = await downloadCsv(page, page.getByTestId("co-funding-csv"));
      expect(csv).toEqual(expectedCsv(network));
      // Pairs state commitments, one in two currencies (else the money columns prove nothing).
      expect(csv.some((row) => row.currency === "EUR")).toBe(true);
      expect(
        network.edges.some((e: { commitments: { currency: string }[] }) =>
          ["EUR", "SEK"].every((currency) => e.commitments.some((c) => c.currency === currency)),
        ),
      ).toBe(true);
    });

    it("with the European Commission: the panel follows, and the choice is in the URL", async () => {
      await page.getByTestId("co-funding-ec").check();
      const { coFundingNetwork: network } = await api(query, { from: FROM, to: TO, ec: true });
      await checkPanel(network);
      expect(new URL(page.url()).searchParams.get("coec")).toBe("1");
      expect(await downloadCsv(page, page.getByTestId("co-funding-csv"))).toEqual(expectedCsv(network));
      await page.getByTestId("co-funding-ec").uncheck();
      await expect.poll(() => new URL(page.url()).searchParams.get("coec")).toBeNull();
    });
  });

  describe("communities", () => {
    const query = `query L($from: Int, $to: Int, $resolution: Float) {
      networkCommunities(level: COUNTRY, fromYear: $from, toYear: $to, resolution: $resolution) {
        quality resolution seed value
        communities { index size members internalWeight totalWeight }
        stability { runs meanAgreement minAgreement identicalRuns }
      }
      networkMetrics(level: COUNTRY, fromYear: $from, toYear: $to) { key label }
    }`;

    async function checkPanel(resolution: number) {
      const { networkCommunities: c, networkMetrics } = await api(query, { from: FROM, to: TO, resolution });
      const panel = page.getByTestId("communities-panel");
      const value = panel.getByTestId("communities-quality-value");
      await expect
        .poll(() => value.getAttribute("data-resolution"), { timeout: ANSWER_MS })
        .toBe(String(resolution));
      expect(await value.getAttribute("data-value")).toBe(String(c.value));
      expect(await value.getAttribute("data-quality")).toBe(c.quality);
      expect(await value.getAttribute("data-seed")).toBe(String(c.seed));
      const stability = panel.getByTestId("communities-stability");
      expect(await attributes(stability, ["data-runs", "data-mean", "data-min", "data-identical"])).toEqual([
        {
          "data-runs": String(c.stability.runs),
          "data-mean": String(c.stability.meanAgreement),
          "data-min": String(c.stability.minAgreement),
          "data-identical": String(c.stability.identicalRuns),
        },
      ]);
      if (resolution === 1) expect(c.communities.length).toBeGreaterThan(1); // not vacuous
      expect(
        await attributes(panel.getByTestId("community-row"), [
          "data-index",
          "data-size",
          "data-members",
          "data-internal-weight",
          "data-total-weight",
        ]),
      ).toEqual(
        c.communities.map(
          (x: {
            index: number;
            size: number;
            members: string[];
            internalWeight: number;
            totalWeight: number;
          }) => ({
            "data-index": String(x.index),
            "data-size": String(x.size),
            "data-members": x.members.join(" "),
            "data-internal-weight": String(x.internalWeight),
            "data-total-weight": String(x.totalWeight),
          }),
        ),
      );
      // Members by name, not by id.
      const table = (await panel.getByTestId("communities-table").textContent()) ?? "";
      expect(table).not.toContain("country:");
      const name = new Map(networkMetrics.map((m: { key: string; label: string }) => [m.key, m.label]));
      expect(table).toContain(name.get(c.communities[0].members[0]));
      const csv = await downloadCsv(page, panel.getByTestId("communities-csv"));
      expect(csv).toEqual(
        c.communities.flatMap(
          (x: {
            index: number;
            size: number;
            members: string[];
            internalWeight: number;
            totalWeight: number;
          }) =>
            x.members.map((key) => ({
              community: String(x.index + 1),
              size: String(x.size),
              internal_weight: String(x.internalWeight),
              total_weight: String(x.totalWeight),
              member_id: key,
              member: name.get(key),
            })),
        ),
      );
    }

    it("shows the API's Leiden communities (members by name), quality and stability; the CSV has every member", async () => {
      await checkPanel(1);
    });

    it("a resolution typed in applies, is kept in the URL, and gives the API's answer for it", async () => {
      const input = page.getByTestId("communities-resolution");
      await input.fill("0.5");
      await input.press("Enter");
      await checkPanel(0.5);
      expect(new URL(page.url()).searchParams.get("cres")).toBe("0.5");
    });
  });

  it("year windows: the API's sizes, joined and left per window; the CSV has them", async () => {
    const { networkSeries: s } = await api(
      `query S($from: Int!, $to: Int!) {
        networkSeries(level: COUNTRY, fromYear: $from, toYear: $to, windowYears: 2, limit: 1) {
          windows { fromYear toYear nodeKeys totalEdges joined left edgesJoined edgesLeft }
        }
      }`,
      { from: FROM, to: TO },
    );
    const panel = page.getByTestId("series-panel");
    expect(
      await attributes(panel.getByTestId("series-range"), [
        "data-from-year",
        "data-to-year",
        "data-window-years",
      ]),
    ).toEqual([{ "data-from-year": String(FROM), "data-to-year": String(TO), "data-window-years": "2" }]);
    expect(s.windows.length).toBe(4);
    expect(
      s.windows.some((w: { joined: string[]; left: string[] }) => w.joined.length + w.left.length > 0),
    ).toBe(true);
    expect(
      await attributes(panel.getByTestId("series-window"), [
        "data-from",
        "data-to",
        "data-nodes",
        "data-links",
        "data-joined",
        "data-left",
        "data-links-joined",
        "data-links-left",
      ]),
    ).toEqual(
      s.windows.map((w: WindowAnswer) => ({
        "data-from": String(w.fromYear),
        "data-to": String(w.toYear),
        "data-nodes": String(w.nodeKeys.length),
        "data-links": String(w.totalEdges),
        "data-joined": w.joined.join(" "),
        "data-left": w.left.join(" "),
        "data-links-joined": String(w.edgesJoined),
        "data-links-left": String(w.edgesLeft),
      })),
    );
    expect((await panel.getByTestId("series-table").textContent()) ?? "").not.toContain("country:");
    const csv = await downloadCsv(page, panel.getByTestId("series-csv"));
    expect(csv).toEqual(
      s.windows.map((w: WindowAnswer) => ({
        from_year: String(w.fromYear),
        to_year: String(w.toYear),
        nodes: String(w.nodeKeys.length),
        links: String(w.totalEdges),
        joined: String(w.joined.length),
        left: String(w.left.length),
        links_joined: String(w.edgesJoined),
        links_left: String(w.edgesLeft),
        joined_ids: w.joined.join("; "),
        left_ids: w.left.join("; "),
      })),
    );
  });

  it("portfolio similarity: the API's most and least similar countries to Germany, with similarity and shared topics; the CSV has them", async () => {
    const { portfolioSimilarity: p } = await api(
      `query P($filters: AnalysisFilters) {
        portfolioSimilarity(level: COUNTRY, id: "country:DE", filters: $filters, limit: 10, projectCap: 0) {
          key label projects topics compared
          mostSimilar { key label similarity projects sharedTopics { key label } }
          leastSimilar { key label similarity projects sharedTopics { key label } }
        }
      }`,
      { filters: { fromYear: FROM, toYear: TO, topicScheme: "LEGAL_BASIS" } },
    );
    const panel = page.getByTestId("portfolio-panel");
    expect(await page.getByTestId("portfolio-id").inputValue()).toBe("country:DE");
    expect(
      await attributes(panel.getByTestId("portfolio-summary"), [
        "data-projects",
        "data-topics",
        "data-compared",
      ]),
    ).toEqual([
      {
        "data-projects": String(p.projects),
        "data-topics": String(p.topics),
        "data-compared": String(p.compared),
      },
    ]);
    expect(p.mostSimilar.length).toBe(10);
    type Item = {
      key: string;
      label: string;
      similarity: number;
      projects: number;
      sharedTopics: { key: string; label: string }[];
    };
    const lists: [string, Item[]][] = [
      ["most", p.mostSimilar],
      ["least", p.leastSimilar],
    ];
    expect(
      await attributes(panel.getByTestId("portfolio-row"), [
        "data-list",
        "data-key",
        "data-similarity",
        "data-projects",
        "data-shared",
      ]),
    ).toEqual(
      lists.flatMap(([list, items]) =>
        items.map((item) => ({
          "data-list": list,
          "data-key": item.key,
          "data-similarity": String(item.similarity),
          "data-projects": String(item.projects),
          "data-shared": String(item.sharedTopics.length),
        })),
      ),
    );
    // Names, and the similarity as shown (three decimals).
    const first = panel.getByTestId("portfolio-row").first();
    expect(await first.textContent()).toContain(p.mostSimilar[0].label);
    expect(await first.textContent()).toContain(p.mostSimilar[0].similarity.toFixed(3).replace(/\.?0+$/, ""));
    expect((await panel.getByTestId("portfolio-most").textContent()) ?? "").not.toContain("country:");
    const csv = await downloadCsv(page, panel.getByTestId("portfolio-csv"));
    expect(csv).toEqual(
      lists.flatMap(([list, items]) =>
        items.map((item, i) => ({
          list,
          rank: String(i + 1),
          id: item.key,
          name: item.label,
          similarity: String(item.similarity),
          projects: String(item.projects),
          shared_topics: String(item.sharedTopics.length),
          shared_topic_ids: item.sharedTopics.map((t) => t.key).join("; "),
          shared_topic_names: item.sharedTopics.map((t) => t.label).join("; "),
        })),
      ),
    );
  });

  it("no serious or critical axe violation at 1280 and 390 px; fits 390 px; screenshots", async () => {
    for (const panel of ["co-funding-panel", "communities-panel", "series-panel", "portfolio-panel"])
      await page.getByTestId(panel).screenshot({ path: path.join(artifacts, `dashboard-${panel}-1280.png`) });
    await page.screenshot({ path: path.join(artifacts, "dashboard-analytics-1280.png"), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    const narrow = await open(VIEW, 390);
    await settled(narrow);
    await narrow.screenshot({ path: path.join(artifacts, "dashboard-analytics-390.png"), fullPage: true });
    for (const panel of ["co-funding-panel", "communities-panel", "series-panel", "portfolio-panel"])
      await narrow
        .getByTestId(panel)
        .screenshot({ path: path.join(artifacts, `dashboard-${panel}-390.png`) });
    expect(await layoutProblems(narrow)).toEqual([]);
    expect(await seriousViolations(narrow)).toEqual([]);
    await narrow.close();
  });
});
