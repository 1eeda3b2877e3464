import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../../src/db/schema-setup.js";
import { loadSeed } from "../../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";
import { projectRoot } from "../../src/util/project-root.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "../helpers/database.js";
import { buildWeb, launchChromium } from "./browser.js";

/**
 * The dashboard's network labels on the real seed, in Debian's Chromium: no two labels drawn intersect,
 * and every label lies whole inside the canvas, at 1280 and at 390 px, at each network level, after the
 * window narrows from 1280 to 390 px, and for the name shown when a node is hovered; the same for the
 * labels of the explore pages' star drawings (SVG, boxes as the browser lays them out).
 *
 * The labels are not taken from the page's own bookkeeping: a script installed before the page loads
 * records every `fillText` on sigma's label and hover canvases (text, position, font, transform), as the
 * renderer draws it, and measures each text's painted box with the same context and font. A full
 * `clearRect` (sigma clears its layers before each frame) starts the record afresh.
 */

/** Longer than one answer may take on a busy 2-core machine. */
const ANSWER_MS = 90_000;
const artifacts = path.join(projectRoot(), "test", "artifacts");

/** Installed before any page script: records what is painted on sigma's label and hover layers. */
const RECORDER = `(() => {
  const records = new WeakMap();
  const layerOf = (canvas) =>
    canvas && canvas.classList ? [...canvas.classList].find((name) => name === "sigma-labels" || name === "sigma-hovers") : undefined;
  const clearRect = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (x, y, width, height) {
    const layer = layerOf(this.canvas);
    if (layer) {
      const t = this.getTransform();
      const left = t.a * x + t.e, top = t.d * y + t.f;
      if (left <= 0 && top <= 0 && left + t.a * width >= this.canvas.width && top + t.d * height >= this.canvas.height) {
        records.set(this.canvas, []);
      }
    }
    return clearRect.call(this, x, y, width, height);
  };
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
    const layer = layerOf(this.canvas);
    if (layer && String(text).length > 0) {
      const m = this.measureText(text);
      const t = this.getTransform();
      // Device pixels of the canvas, then CSS pixels of its element.
      const toCss = this.canvas.clientWidth / this.canvas.width;
      const corners = [
        [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
        [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent],
      ].map(([px, py]) => [(t.a * px + t.c * py + t.e) * toCss, (t.b * px + t.d * py + t.f) * toCss]);
      const list = records.get(this.canvas) ?? [];
      list.push({
        text: String(text),
        font: this.font,
        left: Math.min(corners[0][0], corners[1][0]),
        right: Math.max(corners[0][0], corners[1][0]),
        top: Math.min(corners[0][1], corners[1][1]),
        bottom: Math.max(corners[0][1], corners[1][1]),
      });
      records.set(this.canvas, list);
    }
    return fillText.call(this, text, x, y, maxWidth);
  };
  window.__drawnLabels = (layer) => {
    const canvas = document.querySelector("[data-testid=network-canvas] canvas.sigma-" + layer);
    if (!canvas) return null;
    return { width: canvas.clientWidth, height: canvas.clientHeight, labels: records.get(canvas) ?? [] };
  };
})();`;

interface DrawnLabel {
  text: string;
  font: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface Layer {
  width: number;
  height: number;
  labels: DrawnLabel[];
}

const drawn = async (page: Page, layer: "labels" | "hovers"): Promise<Layer> => {
  const result = (await page.evaluate(`window.__drawnLabels(${JSON.stringify(layer)})`)) as Layer | null;
  if (!result) throw new Error(`no sigma-${layer} canvas in the network panel`);
  return result;
};

/** Every label outside its canvas, and every pair of labels whose boxes intersect. */
function labelProblems({ width, height, labels }: Layer): string[] {
  const problems: string[] = [];
  const where = (label: DrawnLabel) =>
    `"${label.text}" [${label.left.toFixed(1)}, ${label.top.toFixed(1)}, ${label.right.toFixed(1)}, ${label.bottom.toFixed(1)}]`;
  for (const label of labels) {
    if (label.left < 0 || label.top < 0 || label.right > width || label.bottom > height) {
      problems.push(`${where(label)} leaves the ${width} x ${height} canvas`);
    }
  }
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i]!;
      const b = labels[j]!;
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
        problems.push(`${where(a)} overlaps ${where(b)}`);
      }
    }
  }
  return problems;
}

/**
 * The labels once the drawing has settled: the same record on two reads 300 ms apart (sigma places the
 * labels again a frame after the camera or the size changes).
 */
async function settledLabels(page: Page): Promise<Layer> {
  const canvas = page.getByTestId("network-canvas");
  await expect.poll(() => canvas.getAttribute("data-drawn"), { timeout: ANSWER_MS }).toBe("true");
  let previous = "";
  let current = "";
  await expect
    .poll(
      async () => {
        previous = current;
        current = JSON.stringify(await drawn(page, "labels"));
        return previous === current;
      },
      { timeout: ANSWER_MS, interval: 300 },
    )
    .toBe(true);
  return JSON.parse(current) as Layer;
}

describe("network labels on the real seed: none overlaps another, none leaves the canvas", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    buildWeb();
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    const config = testConfig();
    // The organisation network of the whole seed takes longer than 15 s on a busy 2-core machine.
    atlas = await startAtlas(
      { ...config, limits: { ...config.limits, queryTimeoutMs: 120_000 } },
      createLogger("silent"),
    );
    const browser = await launchChromium();
    context = browser.context;
    closeBrowser = browser.close;
  }, 900_000);
  afterAll(async () => {
    await closeBrowser?.();
    await atlas?.stop();
    await driver?.close();
  });

  async function open(width: number, query = ""): Promise<Page> {
    const page = await context.newPage();
    await page.addInitScript(RECORDER);
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${atlas.http.url}/dashboard${query}`);
    await page.getByTestId("network-panel").waitFor({ timeout: ANSWER_MS });
    return page;
  }

  /** The labels drawn now, checked; returns how many there are. */
  async function check(page: Page, what: string): Promise<number> {
    const layer = await settledLabels(page);
    expect(labelProblems(layer), what).toEqual([]);
    // The canvas is the whole drawing area of the panel: no part of it is cut off by its container.
    const box = await page.getByTestId("network-canvas").boundingBox();
    expect(box, what).not.toBeNull();
    expect(layer.width, what).toBeLessThanOrEqual(Math.ceil(box!.width));
    expect(layer.height, what).toBeLessThanOrEqual(Math.ceil(box!.height));
    return layer.labels.length;
  }

  for (const width of [1280, 390]) {
    it(`at ${width} px: every level's labels are inside the canvas and apart; the hovered name too`, async () => {
      const counts: Record<string, number> = {};
      for (const level of ["ORGANISATION", "FUNDER"]) {
        const other = await open(width, `?level=${level}`);
        counts[level] = await check(other, `${width} px, ${level}`);
        await other.close();
      }
      const page = await open(width);
      counts.COUNTRY = await check(page, `${width} px, COUNTRY`);
      // Not vacuous: the seed's networks have names to show at every level.
      for (const [level, count] of Object.entries(counts)) {
        expect(count, `${width} px, ${level}: labels drawn`).toBeGreaterThan(1);
      }

      // The name of a hovered node, drawn on the hover layer, stays inside the canvas too: the node
      // drawn nearest the right edge, and the one nearest the left edge.
      const canvas = page.getByTestId("network-canvas");
      await canvas.scrollIntoViewIfNeeded();
      const positions = JSON.parse((await canvas.getAttribute("data-node-positions")) ?? "{}") as Record<
        string,
        [number, number]
      >;
      const byX = Object.entries(positions).sort((a, b) => a[1][0] - b[1][0]);
      expect(byX.length).toBeGreaterThan(1);
      const box = (await canvas.boundingBox())!;
      for (const [node, [x, y]] of [byX[byX.length - 1]!, byX[0]!]) {
        await page.mouse.move(box.x + x, box.y + y);
        await expect
          .poll(async () => (await drawn(page, "hovers")).labels.length, { timeout: 10_000 })
          .toBeGreaterThan(0);
        expect(labelProblems(await drawn(page, "hovers")), `${width} px, hovering ${node}`).toEqual([]);
        // Off the node, onto the canvas's empty corner (inside the stage padding): sigma leaves the node.
        await page.mouse.move(box.x + 3, box.y + 3);
        await expect
          .poll(async () => (await drawn(page, "hovers")).labels.length, { timeout: 10_000 })
          .toBe(0);
      }
      await page.mouse.move(0, 0);
      await settledLabels(page);
      await page
        .getByTestId("network-panel")
        .screenshot({ path: path.join(artifacts, `network-labels-${width}.png`) });
      await page.close();
    });
  }

  /** The explore pages' star drawings of their strongest neighbours, on ids of the seed. */
  const EXPLORE = ["country:DE", "org:999866495", "cordis:101137129", "funder:isciii", "consortium:icpermed"];

  for (const width of [1280, 390]) {
    it(`at ${width} px: the explore pages' star drawings keep their labels apart and inside the drawing`, async () => {
      let total = 0;
      for (const id of EXPLORE) {
        const page = await context.newPage();
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${atlas.http.url}/explore/${id}`);
        await page.getByTestId("entity-name").waitFor({ timeout: ANSWER_MS });
        await expect
          .poll(() => page.getByTestId("loading").count(), { timeout: ANSWER_MS, interval: 250 })
          .toBe(0);
        // The boxes the browser laid the labels out in, in CSS pixels of the page, and the drawing's.
        const drawings = (await page.getByTestId("ego-network").evaluateAll((svgs) =>
          svgs.map((svg) => {
            const frame = svg.getBoundingClientRect();
            return {
              frame: { left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom },
              labels: [...svg.querySelectorAll("text")].map((text) => {
                const box = text.getBoundingClientRect();
                return {
                  text: text.textContent ?? "",
                  font: "",
                  left: box.left - frame.left,
                  right: box.right - frame.left,
                  top: box.top - frame.top,
                  bottom: box.bottom - frame.top,
                };
              }),
            };
          }),
        )) as { frame: { left: number; top: number; right: number; bottom: number }; labels: DrawnLabel[] }[];
        for (const drawing of drawings) {
          total += drawing.labels.length;
          const layer = {
            width: drawing.frame.right - drawing.frame.left,
            height: drawing.frame.bottom - drawing.frame.top,
            labels: drawing.labels,
          };
          expect(labelProblems(layer), `${width} px, /explore/${id}`).toEqual([]);
        }
        await page.close();
      }
      expect(total, `${width} px: labels drawn on the explore pages`).toBeGreaterThan(5);
    });
  }

  it("after the window narrows from 1280 to 390 px, the labels are placed again for the narrow canvas", async () => {
    const page = await open(1280, "?level=ORGANISATION");
    const wide = await settledLabels(page);
    expect(labelProblems(wide)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    await expect
      .poll(async () => (await drawn(page, "labels")).width, { timeout: ANSWER_MS })
      .toBeLessThan(390);
    await check(page, "narrowed to 390 px");
    await page.close();
  });
});
