import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDriver } from "../src/db/connection.js";
import type { RunningHttpServer } from "../src/server/http-server.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { testConfig } from "./helpers/database.js";
import { startBareServer } from "./helpers/http-server.js";

describe("the running server", () => {
  let atlas: RunningAtlas;
  beforeAll(async () => {
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  });
  afterAll(() => atlas.stop());

  it("answers { __typename } on /graphql", async () => {
    const response = await fetch(`${atlas.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("is live, and ready with the Neo4j version and edition", async () => {
    const live = await fetch(`${atlas.http.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${atlas.http.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; neo4j: { version: string; edition: string } };
    expect(body.status).toBe("ok");
    expect(body.neo4j.version).toMatch(/^5\.26\.\d+$/);
    expect(body.neo4j.edition).toBe("community");
  });
});

describe("readiness without a database", () => {
  let server: RunningHttpServer;
  const driver = createDriver("bolt://127.0.0.1:1", "neo4j", "irrelevant-password");
  beforeAll(async () => {
    // Nothing listens on port 1: the same path as a database that has gone away.
    server = await startBareServer(driver);
  });
  afterAll(async () => {
    await server.stop();
    await driver.close();
  });

  it("stays live but reports 503 with a reason on /health/ready", async () => {
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; reason: string };
    expect(body.status).toBe("unavailable");
    expect(body.reason).toMatch(/^Neo4j is not answering: /);
  });
});

describe("the playground pages", () => {
  it("serves the built playground from its own origin, and says how to build it when missing", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { webRoutes } = await import("../src/server/web-routes.js");
    const dist = mkdtempSync(path.join(os.tmpdir(), "atlas-web-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>playground</title>");
    writeFileSync(path.join(dist, "assets", "app-123.js"), "console.log(1)");
    const driver = createDriver("bolt://127.0.0.1:1", "neo4j", "irrelevant-password");
    const server = await startBareServer(driver, { routes: [webRoutes(dist)] });
    const missing = await startBareServer(driver, { routes: [webRoutes(path.join(dist, "nowhere"))] });
    try {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<title>playground</title>");
      const asset = await fetch(`${server.url}/assets/app-123.js`);
      expect(asset.headers.get("cache-control")).toContain("immutable");
      const notBuilt = await fetch(`${missing.url}/`);
      expect(notBuilt.status).toBe(503);
      expect(await notBuilt.text()).toContain("npm run build");
    } finally {
      await server.stop();
      await missing.stop();
      await driver.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
