import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import express from "express";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import type { Driver, Session } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readQuery } from "../src/analysis/analysis-context.js";
import { templateWorkbook } from "../src/curate/template.js";
import { buildAtlasSchema } from "../src/graphql/build-schema.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { entityExists } from "../src/server/entity-lookup.js";
import { createErrorFormatter } from "../src/server/error-format.js";
import { startHttpServer } from "../src/server/http-server.js";
import { listRoutes, type RegisteredRoute } from "../src/server/route-access.js";
import { createTokenVerifier } from "../src/server/token.js";
import { webRoutes } from "../src/server/web-routes.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { ERROR_CODES } from "../src/util/error-codes.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { count, TEST_DATABASE, TEST_JWT_SECRET, testConfig, testDriver } from "./helpers/database.js";

/*
 * Issue 15: access control that holds on every route, in production mode, on the real seed (loaded
 * through the seed importer). The routes are read from the express app itself, so a route added
 * without an access rule, or without a probe here, fails this file.
 */

const PRODUCTION = {
  environment: "production" as const,
  introspection: false,
  // The web routes are registered too, so that they are listed and checked like the others.
  playground: true,
};

// ---------- credentials ----------

const b64url = (text: string) => Buffer.from(text).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

async function hs256(claims: JWTPayload, options: { secret?: string; expired?: boolean } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("test-user");
  if (options.expired) jwt.setIssuedAt(now() - 7200).setExpirationTime(now() - 3600);
  else jwt.setIssuedAt().setExpirationTime("10m");
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** A correctly signed HS256 token whose payload is not JSON. */
function nonJsonPayloadToken(): string {
  const signed = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url("roles=admin; not json")}`;
  return `${signed}.${createHmac("sha256", TEST_JWT_SECRET).update(signed).digest("base64url")}`;
}

/** An unsigned token (alg none) claiming the admin role. */
const algNoneToken = () =>
  `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify({ roles: ["admin"], exp: now() + 600 }))}.`;

type Outcome = "reader" | "admin" | "anonymous" | "refused";

interface Credential {
  name: string;
  /** What the credential is worth: a refused one gets 401 on every data route, in every mode. */
  outcome: Outcome;
  header: () => Promise<string | undefined>;
}

const CREDENTIALS: Credential[] = [
  { name: "no token", outcome: "anonymous", header: async () => undefined },
  {
    name: "reader token",
    outcome: "reader",
    header: async () => `Bearer ${await hs256({ roles: ["reader"] })}`,
  },
  {
    name: "admin token",
    outcome: "admin",
    header: async () => `Bearer ${await hs256({ roles: ["admin"] })}`,
  },
  {
    name: "expired admin token",
    outcome: "refused",
    header: async () => `Bearer ${await hs256({ roles: ["admin"] }, { expired: true })}`,
  },
  {
    name: "admin token with a wrong signature",
    outcome: "refused",
    header: async () =>
      `Bearer ${await hs256({ roles: ["admin"] }, { secret: "another-secret-that-is-long-enough-0123456789" })}`,
  },
  {
    name: 'malformed claims: "roles": "admin" (a string)',
    outcome: "refused",
    header: async () => `Bearer ${await hs256({ roles: "admin" })}`,
  },
  {
    name: 'malformed claims: "roles": [1, true] (not strings)',
    outcome: "refused",
    header: async () => `Bearer ${await hs256({ roles: [1, true] })}`,
  },
  // A valid token without a roles claim is a token without roles: it reads, it may not write.
  { name: "token without a roles claim", outcome: "reader", header: async () => `Bearer ${await hs256({})}` },
  { name: "non-JSON payload", outcome: "refused", header: async () => `Bearer ${nonJsonPayloadToken()}` },
  { name: "alg none", outcome: "refused", header: async () => `Bearer ${algNoneToken()}` },
  { name: "not a bearer header", outcome: "refused", header: async () => "Basic YWRtaW46YWRtaW4=" },
];

type Action = "public" | "read" | "write";

/** What the rules promise (README, Auth): the status and code, or success. */
function expected(
  mode: { readsRequireToken: boolean },
  outcome: Outcome,
  action: Exclude<Action, "public">,
): { status: number; code?: string } {
  if (outcome === "refused") return { status: 401, code: ERROR_CODES.UNAUTHENTICATED };
  if (outcome === "anonymous") {
    if (action === "read" && !mode.readsRequireToken) return { status: 200 };
    return { status: 401, code: ERROR_CODES.UNAUTHENTICATED };
  }
  if (action === "write" && outcome !== "admin") return { status: 403, code: ERROR_CODES.FORBIDDEN };
  return { status: 200 };
}

// ---------- probes: how to call each registered route ----------

interface Answer {
  status: number;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
}

async function call(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Answer["json"];
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

interface Probe {
  name: string;
  action: Action;
  send(base: string, authorization: string | undefined): Promise<Answer>;
  /** For a success: what shows that data was answered. */
  answered?(answer: Answer): void;
}

const auth = (authorization: string | undefined): Record<string, string> =>
  authorization ? { authorization } : {};

const graphql = (name: string, action: Action, query: string, answered: (data: unknown) => void): Probe => ({
  name,
  action,
  send: (base, authorization) =>
    call(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth(authorization) },
      body: JSON.stringify({ query }),
    }),
  answered: (answer) => {
    expect(answer.json?.errors).toBeUndefined();
    answered(answer.json?.data);
  },
});

const get = (pathAndQuery: string, action: Action, answered?: (answer: Answer) => void): Probe => ({
  name: `GET ${pathAndQuery}`,
  action,
  send: (base, authorization) => call(`${base}${pathAndQuery}`, { headers: auth(authorization) }),
  ...(answered ? { answered } : {}),
});

const csvNetwork = (answer: Answer) => {
  // The seed has countries working together: the CSV lists edges under its header.
  const lines = answer.text.trim().split("\n");
  expect(lines[0]).toMatch(/source/i);
  expect(lines.length).toBeGreaterThan(10);
};

/**
 * The curation routes (the admin page's): a workbook that states nothing but its name, so that an
 * admin's check answers a report and an admin's load writes only its Source (then changes nothing).
 */
const emptyWorkbook = templateWorkbook().then(async (bytes) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const about = workbook.getWorksheet("About")!;
  about.getCell("B1").value = "access-control-probe";
  about.getCell("B2").value = "Access control probe";
  about.getCell("B3").value = "Test";
  return Buffer.from(await workbook.xlsx.writeBuffer());
});

const postWorkbook = (action: "check" | "load", answered: (answer: Answer) => void): Probe => ({
  name: `POST /admin/curate/${action}`,
  action: "write",
  send: async (base, authorization) =>
    call(`${base}/admin/curate/${action}?name=probe.xlsx`, {
      method: "POST",
      headers: {
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ...auth(authorization),
      },
      body: new Uint8Array(await emptyWorkbook),
    }),
  answered,
});

const webDist = path.join(projectRoot(), "web", "dist");
const pageStatus = () => (existsSync(path.join(webDist, "index.html")) ? 200 : 503);

/** Probes per registered route (methods and path as listRoutes reads them from the app). */
const PROBES: Record<string, Probe[]> = {
  "GET /health/live": [get("/health/live", "public")],
  "GET /health/ready": [get("/health/ready", "public")],
  "GET /export/network.:extension": [
    get("/export/network.csv?level=COUNTRY", "read", csvNetwork),
    get("/export/network.graphml?level=COUNTRY", "read", (answer) =>
      expect(answer.text).toContain("<graphml"),
    ),
  ],
  "ALL /graphql": [
    graphql("a generated query", "read", "{ countries(limit: 1) { id } }", (data) =>
      expect((data as { countries: unknown[] }).countries).toHaveLength(1),
    ),
    graphql(
      "an analysis query",
      "read",
      "{ collaborationNetwork(level: COUNTRY, limit: 5) { totalEdges edges { source target } } }",
      (data) =>
        expect(
          (data as { collaborationNetwork: { edges: unknown[] } }).collaborationNetwork.edges,
        ).toHaveLength(5),
    ),
    {
      name: "a generated query by GET",
      action: "read",
      send: (base, authorization) =>
        call(`${base}/graphql?query=${encodeURIComponent("{ countries(limit: 1) { id } }")}`, {
          headers: { "apollo-require-preflight": "true", ...auth(authorization) },
        }),
      answered: (answer) => expect(answer.json?.data).toEqual({ countries: [{ id: expect.any(String) }] }),
    },
    graphql(
      "a mutation",
      "write",
      'mutation { deleteTopics(where: { id: { eq: "topic:no-such-topic" } }) { nodesDeleted } }',
      (data) => expect(data).toEqual({ deleteTopics: { nodesDeleted: 0 } }),
    ),
  ],
  "ALL /assets": [get("/assets/no-such-file.js", "public")],
  "GET /": [get("/", "public")],
  "GET /index.html": [get("/index.html", "public")],
  "GET /graphiql": [get("/graphiql", "public")],
  "GET /graphiql.html": [get("/graphiql.html", "public")],
  "GET /dashboard": [get("/dashboard", "public")],
  "GET /dashboard.html": [get("/dashboard.html", "public")],
  // An entity of the seed: the page in both modes (issue 20; the 404 of an unknown id is in test/e2e/workbench.test.ts).
  "GET /explore/:id": [get("/explore/country:DE", "public")],
  "GET /admin": [get("/admin", "public")],
  "GET /admin.html": [get("/admin.html", "public")],
  // The admin routes need the admin role in both modes: the write rule, whatever the route does.
  "GET /admin/curate/template.xlsx": [
    get("/admin/curate/template.xlsx", "write", (answer) => expect(answer.text.slice(0, 2)).toBe("PK")),
  ],
  "POST /admin/curate/check": [
    postWorkbook("check", (answer) => expect(answer.json).toMatchObject({ status: "CHECKED", problems: [] })),
  ],
  "POST /admin/curate/load": [
    postWorkbook("load", (answer) =>
      expect(["LOADED", "UNCHANGED"]).toContain((answer.json as { status?: string }).status),
    ),
  ],
};

const routeKey = (route: RegisteredRoute) => `${route.methods.join(",")} ${route.path}`;

/** Runs every probe of every registered route with every credential against one running server. */
async function checkEveryRoute(atlas: RunningAtlas, mode: { readsRequireToken: boolean }) {
  const routes = listRoutes(atlas.http.app);
  // The walker must see the routes at all, or this test would pass on nothing.
  expect(routes.map(routeKey)).toEqual(
    expect.arrayContaining(["ALL /graphql", "GET /export/network.:extension"]),
  );
  const failures: string[] = [];
  let checked = 0;
  for (const route of routes) {
    const key = routeKey(route);
    const probes = PROBES[key];
    if (!probes) {
      failures.push(`${key}: registered but has no probe in this test (add one, with its rule)`);
      continue;
    }
    if (!route.access) failures.push(`${key}: registered without an access rule`);
    for (const probe of probes) {
      const publicStatus =
        probe.action === "public" ? (await probe.send(atlas.http.url, undefined)).status : 0;
      for (const credential of CREDENTIALS) {
        const answer = await probe.send(atlas.http.url, await credential.header());
        const where = `${key} | ${probe.name} | ${credential.name}`;
        checked++;
        if (probe.action === "public") {
          // The same answer whoever asks; a page needs web/dist (503 saying how to build it otherwise).
          const want = key.startsWith("GET /health")
            ? 200
            : key === "GET /explore/:id" || key.startsWith("GET /admin")
              ? existsSync(path.join(webDist, key === "GET /explore/:id" ? "explore.html" : "admin.html"))
                ? 200
                : 503
              : key === "ALL /assets"
                ? pageStatus() === 200
                  ? 404
                  : 503
                : pageStatus();
          if (answer.status !== want || publicStatus !== want) {
            failures.push(
              `${where}: public route answered ${answer.status} (without token ${publicStatus}), want ${want}`,
            );
          }
          continue;
        }
        const want = expected(mode, credential.outcome, probe.action);
        const code = answer.json?.errors?.[0]?.extensions?.code;
        if (answer.status !== want.status || code !== want.code) {
          failures.push(
            `${where}: got ${answer.status} ${String(code)}, want ${want.status} ${String(want.code)}: ${answer.text.slice(0, 200)}`,
          );
          continue;
        }
        if (want.code) {
          // A refusal carries nothing else: no data, no network, one error.
          expect(answer.json?.data, where).toBeUndefined();
          expect(answer.json?.errors, where).toHaveLength(1);
          expect(answer.text, where).not.toContain(TEST_JWT_SECRET);
        } else {
          probe.answered?.(answer);
        }
      }
    }
  }
  expect(failures).toEqual([]);
  return checked;
}

describe("issue 15: access control on every route, in production, on the real seed", () => {
  let driver: Driver;
  let open: RunningAtlas;
  let closed: RunningAtlas;
  const log = createLogger("silent");

  beforeAll(async () => {
    driver = testDriver();
    await driver.executeQuery("MATCH (n) DETACH DELETE n", {}, { database: TEST_DATABASE });
    await loadSeed(driver, TEST_DATABASE, log);
    open = await startAtlas(testConfig({ ...PRODUCTION, readsRequireToken: false }), log);
    closed = await startAtlas(testConfig({ ...PRODUCTION, readsRequireToken: true }), log);
  });
  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
    await driver?.close();
  });

  describe("every registered route x every auth mode x every credential", () => {
    it.each([
      ["reads open", false],
      ["reads need a token", true],
    ])(
      "%s: each route answers what its rule says, with the exact status and code",
      async (_mode, readsRequireToken) => {
        const atlas = readsRequireToken ? closed : open;
        const checked = await checkEveryRoute(atlas, { readsRequireToken });
        // 18 registered routes (issue 20 added /explore/:id; the curation page and its three admin
        // routes five more), 21 probes (/graphql and /export have several), 11 credentials each.
        expect(checked).toBe(21 * CREDENTIALS.length);
      },
    );

    it("a route registered without an access rule stops the server from starting", async () => {
      const unguarded = express.Router();
      unguarded.get("/export/secrets.csv", (_req, res) => {
        res.send("everything");
      });
      const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
      await expect(
        startHttpServer({
          schema,
          driver,
          database: TEST_DATABASE,
          host: "127.0.0.1",
          port: 0,
          log,
          routes: [unguarded],
        }),
      ).rejects.toThrow(/without an access rule.*GET \/export\/secrets\.csv/);
    });
  });

  describe("issue 15.1: the export route applies the read rule", () => {
    it.each(["csv", "graphml", "gexf"])(
      "GET /export/network.%s without a token: 401 and no network",
      async (ext) => {
        const answer = await call(`${closed.http.url}/export/network.${ext}?level=COUNTRY`, {});
        expect(answer.status).toBe(401);
        expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.UNAUTHENTICATED);
        expect(answer.text).not.toMatch(/country:|<graphml|<gexf/);
      },
    );

    it("a refused caller learns nothing about the route's arguments either (401 before validation)", async () => {
      const answer = await call(`${closed.http.url}/export/network.pdf?level=NOPE`, {});
      expect(answer.status).toBe(401);
      expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.UNAUTHENTICATED);
    });
  });

  describe("issue 15.2: any valid token reads when reads need a token", () => {
    it.each([
      ["countries", "{ countries(limit: 1) { id } }"],
      ["fundingTrend", "{ fundingTrend(groupBy: COUNTRY, fromYear: 2023, toYear: 2023) { description } }"],
      ["fundingMatrix", "{ fundingMatrix(rows: COUNTRY, columns: YEAR) { description } }"],
      ["networkMetrics", "{ networkMetrics(level: COUNTRY) { key } }"],
      [
        "shortestPath",
        '{ shortestPath(fromId: "country:DE", toId: "country:FR", maxHops: 4) { nodes { id } } }',
      ],
      ["export", "{ export(format: CSV, level: COUNTRY, limit: 3) }"],
    ])("a reader token reads %s", async (name, query) => {
      const answer = await call(`${closed.http.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await hs256({ roles: ["reader"] })}`,
        },
        body: JSON.stringify({ query }),
      });
      expect(answer.json?.errors).toBeUndefined();
      expect(answer.status).toBe(200);
      expect(answer.json?.data).toHaveProperty(name);
    });
  });

  describe("issues 15.3 and 15.4: malformed claims and missing roles on a write", () => {
    const mutation = `mutation { createTopics(input: [{ id: "topic:issue-15", name: "x", scheme: "ATLAS" }]) { topics { id } } }`;
    const write = async (atlas: RunningAtlas, claims: JWTPayload) =>
      call(`${atlas.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await hs256(claims)}` },
        body: JSON.stringify({ query: mutation }),
      });
    const written = () => count(driver, "MATCH (t:Topic {id: 'topic:issue-15'}) RETURN count(t)");

    it.each([
      ['"roles": "admin"', { roles: "admin" }],
      ['"roles": {"admin": true}', { roles: { admin: true } }],
      ['"roles": ["admin", 1]', { roles: ["admin", 1] }],
    ])(
      "%s is refused with 401 UNAUTHENTICATED (never INTERNAL_SERVER_ERROR), nothing written",
      async (_n, claims) => {
        for (const atlas of [open, closed]) {
          const answer = await write(atlas, claims);
          expect(answer.status).toBe(401);
          expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.UNAUTHENTICATED);
          expect(answer.json?.errors?.[0]?.message).toMatch(/roles claim must be a list of strings/);
        }
        expect(await written()).toBe(0);
      },
    );

    it.each([
      ["roles: [reader]", { roles: ["reader"] }],
      ["no roles claim", {}],
      ['roles: ["Admin"] (roles are case-sensitive)', { roles: ["Admin"] }],
    ])("a valid token with %s gets 403 FORBIDDEN on a write, nothing written", async (_n, claims) => {
      for (const atlas of [open, closed]) {
        const answer = await write(atlas, claims);
        expect(answer.status).toBe(403);
        expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.FORBIDDEN);
      }
      expect(await written()).toBe(0);
    });

    it("an admin token writes", async () => {
      const answer = await write(closed, { roles: ["reader", "admin"] });
      expect(answer.json).toEqual({ data: { createTopics: { topics: [{ id: "topic:issue-15" }] } } });
      expect(await written()).toBe(1);
      await driver.executeQuery(
        "MATCH (t:Topic {id: 'topic:issue-15'}) DETACH DELETE t",
        {},
        { database: TEST_DATABASE },
      );
    });
  });

  describe("issue 15.4: a document whose operation cannot be resolved is not refused as a write", () => {
    const reader = async () => `Bearer ${await hs256({ roles: ["reader"] })}`;
    it.each([
      [
        "two queries and no operationName",
        "query A { dataVersion { version } } query B { dataVersion { version } }",
        undefined,
      ],
      [
        "a query and a mutation, no operationName",
        'query A { dataVersion { version } } mutation B { deleteTopics(where: { id: { eq: "x" } }) { nodesDeleted } }',
        undefined,
      ],
      ["an operationName the document does not have", "query A { dataVersion { version } }", "Nope"],
    ])(
      "%s: 400 OPERATION_RESOLUTION_FAILURE for anyone who may read, never 401/403 'writing needs'",
      async (_n, query, operationName) => {
        const cases: [RunningAtlas, string | undefined][] = [
          [open, undefined],
          [open, await reader()],
          [closed, await reader()],
        ];
        for (const [atlas, authorization] of cases) {
          const answer = await call(`${atlas.http.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
            body: JSON.stringify({ query, ...(operationName ? { operationName } : {}) }),
          });
          expect(answer.status, answer.text).toBe(400);
          expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.OPERATION_RESOLUTION_FAILURE);
          expect(answer.json?.data).toBeUndefined();
        }
      },
    );
  });

  describe("issue 15.5: no suggestions in production", () => {
    const ask = (query: string, variables?: Record<string, unknown>) =>
      call(`${open.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });

    it.each([
      ["a mistyped query field", "{ projectz(limit: 1) { id } }", undefined, /projects/],
      [
        "a mistyped mutation",
        "mutation { createProjectz { id } }",
        undefined,
        /createProjects|deleteProjects|Events/,
      ],
      ["a mistyped argument", "{ projects(limitz: 1) { id } }", undefined, /"limit"/],
      [
        "a mistyped enum literal",
        "{ collaborationNetwork(level: COUNTRYZ) { totalEdges } }",
        undefined,
        /"COUNTRY"/,
      ],
      [
        "a mistyped enum in a variable",
        "query Q($l: NetworkLevel!) { collaborationNetwork(level: $l) { totalEdges } }",
        { l: "COUNTRYZ" },
        /"COUNTRY"/,
      ],
      [
        "a mistyped type",
        "query Q($l: NetworkLevl!) { collaborationNetwork(level: $l) { totalEdges } }",
        { l: "COUNTRY" },
        /"NetworkLevel"/,
      ],
      ["a mistyped input field", '{ projects(where: { idz: { eq: "x" } }) { id } }', undefined, /"id"/],
    ])("%s: refused without naming what exists", async (_name, query, variables, leak) => {
      const answer = await ask(query, variables);
      expect(answer.status).toBe(400);
      const error = answer.json?.errors?.[0];
      expect([ERROR_CODES.GRAPHQL_VALIDATION_FAILED, ERROR_CODES.BAD_USER_INPUT]).toContain(
        error?.extensions?.code,
      );
      expect(error?.message).not.toMatch(/Did you mean/i);
      expect(error?.message).not.toMatch(leak);
    });
  });

  describe("issue 15.6: aliases of __typename count", () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ");
    const ask = (query: string) =>
      call(`${open.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });

    it.each([
      ["16 in the operation", `{ ${aliases(16)} }`, 16],
      ["1,600 in the operation", `{ ${aliases(1600)} }`, 1600],
      ["16 through a fragment", `{ ...F } fragment F on Query { ${aliases(16)} }`, 16],
      ["8 + 8 inside a field", `{ ${aliases(8)} countries(limit: 1) { ${aliases(8)} } }`, 16],
    ])("%s: refused by the limit of 15", async (_name, query, found) => {
      const answer = await ask(query);
      expect(answer.status).toBe(400);
      expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.GRAPHQL_VALIDATION_FAILED);
      expect(answer.json?.errors?.[0]?.message).toBe(
        `Syntax Error: Aliases limit of 15 exceeded, found ${found}.`,
      );
      expect(answer.json?.data).toBeUndefined();
    });

    it("15 are answered", async () => {
      const answer = await ask(`{ ${aliases(15)} }`);
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.json?.data as object)).toHaveLength(15);
    });
  });

  describe("issue 15.8: the token limit behaves as the README says", () => {
    // 23 tokens around the list (commas are not tokens), plus one per id: 4,977 ids make 5,000 tokens.
    const ask = (ids: number) =>
      call(`${open.http.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ projects(limit: 1, where: { id: { in: [${Array.from({ length: ids }, (_, i) => `"p${i}"`).join(", ")}] } }) { id } }`,
        }),
      });

    it("5,001 tokens: HTTP 400 GRAPHQL_PARSE_FAILED, parsing aborted", async () => {
      const answer = await ask(4978);
      expect(answer.status).toBe(400);
      expect(answer.json?.errors?.[0]?.extensions?.code).toBe(ERROR_CODES.GRAPHQL_PARSE_FAILED);
      expect(answer.json?.errors?.[0]?.message).toBe(
        "Syntax Error: Document contains more that 5000 tokens. Parsing aborted.",
      );
    });

    it("5,000 tokens are parsed and answered", async () => {
      const answer = await ask(4977);
      expect(answer.status, answer.text.slice(0, 300)).toBe(200);
      expect(answer.json?.data).toEqual({ projects: [] });
    });

    it("the limits table of the operations reference says so", () => {
      const readme = readFileSync(path.join(projectRoot(), "docs", "operations.md"), "utf8");
      const row = readme.split("\n").find((line) => line.startsWith("| `ATLAS_MAX_TOKENS`"));
      expect(row).toContain("GRAPHQL_PARSE_FAILED");
      expect(row).toContain("Document contains more that 5000 tokens. Parsing aborted.");
      expect(row).toContain("400");
    });
  });
});

/**
 * A driver that records the settings of every transaction it opens (managed, or an auto-commit
 * `session.run`), and passes everything through.
 */
function recordingDriver(driver: Driver, seen: { timeout?: number; metadata?: Record<string, unknown> }[]) {
  return new Proxy(driver, {
    get(target, property, receiver) {
      if (property !== "session") return Reflect.get(target, property, receiver);
      return (...args: Parameters<Driver["session"]>): Session => {
        const session = target.session(...args);
        for (const method of ["executeRead", "executeWrite"] as const) {
          const original = session[method].bind(session) as (
            work: unknown,
            config?: unknown,
          ) => Promise<unknown>;
          (session as unknown as Record<string, unknown>)[method] = (
            work: unknown,
            config?: { timeout?: number },
          ) => {
            seen.push({ ...(config ?? {}) });
            return original(work, config);
          };
        }
        // An auto-commit query (the server runs @neo4j/graphql's reads so) is a transaction too.
        const run = session.run.bind(session);
        session.run = ((
          query: string,
          parameters?: Record<string, unknown>,
          config?: { timeout?: number },
        ) => {
          seen.push({ ...(config ?? {}) });
          return run(query, parameters, config);
        }) as Session["run"];
        return session;
      };
    },
  });
}

describe("issue 15.7: analysis queries and the export route run under the request contract", () => {
  let driver: Driver;
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const seen: { timeout?: number; metadata?: Record<string, unknown> }[] = [];
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const QUERY_TIMEOUT_MS = 4321;

  beforeAll(async () => {
    driver = testDriver();
    const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
    const config = testConfig();
    server = await startHttpServer({
      schema,
      driver: recordingDriver(driver, seen),
      database: TEST_DATABASE,
      host: "127.0.0.1",
      port: 0,
      log: createLogger("info", sink),
      security: {
        production: true,
        introspection: false,
        limits: { ...config.limits, queryTimeoutMs: QUERY_TIMEOUT_MS },
        readsRequireToken: false,
        verifyToken: createTokenVerifier({ secret: TEST_JWT_SECRET }),
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await driver?.close();
  });

  it.each([
    [
      "an analysis query",
      "/graphql",
      "{ collaborationNetwork(level: ORGANISATION, limit: 5) { totalEdges } }",
    ],
    ["a generated query", "/graphql", "{ projects(limit: 2) { id } }"],
    ["the export route", "/export/network.csv?level=ORGANISATION", undefined],
  ])(
    "%s: every transaction has the timeout and the request's metadata; dbMs is logged",
    async (_n, route, query) => {
      seen.length = 0;
      lines.length = 0;
      const requestId = `issue-15-7-${randomUUID()}`;
      const answer = await call(`${server.url}${route}`, {
        method: query ? "POST" : "GET",
        headers: { "content-type": "application/json", "x-request-id": requestId },
        ...(query ? { body: JSON.stringify({ query }) } : {}),
      });
      expect(answer.status, answer.text).toBe(200);
      // The analysis projection (issue 19) is built once per data version for every request, so its
      // transaction is the server's job, named as such, with the build's own time limit; the request
      // waits on it no longer than its own limit (test/unit/query-deadline.test.ts).
      const jobs = seen.filter((config) => config.metadata?.job === "analysis-projection");
      for (const config of jobs) {
        expect(config.metadata).toMatchObject({ app: "permed-atlas", job: "analysis-projection" });
        expect(config.timeout).toBeGreaterThan(0);
      }
      const own = seen.filter((config) => !jobs.includes(config));
      expect(own.length).toBeGreaterThan(0);
      for (const config of own) {
        expect(config.timeout).toBe(QUERY_TIMEOUT_MS);
        expect(config.metadata).toMatchObject({ app: "permed-atlas", requestId });
      }
      const line = lines.find((l) => l.requestId === requestId && /request$/.test(String(l.msg)));
      expect(line, JSON.stringify(lines)).toBeDefined();
      expect(line?.dbMs).toBeGreaterThan(0);
      expect(line?.dbMs as number).toBeLessThanOrEqual((line?.durationMs as number) + 1);
    },
  );

  it("the timeout is enforced on analysis reads: a read that outlasts it ends with QUERY_TIMEOUT", async () => {
    // The Neo4j monitor checks timeouts every 2 s: the read sleeps well past that.
    const error = await readQuery(
      { driver, database: TEST_DATABASE, transaction: { timeout: 200, metadata: { test: "issue 15.7" } } },
      "CALL apoc.util.sleep(20000) RETURN 1 AS one",
      {},
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toMatch(/TransactionTimedOut/);
    const format = createErrorFormatter({ production: true, queryTimeoutMs: 200 });
    expect(format({ message: String(error) }, error).extensions).toMatchObject({
      code: ERROR_CODES.QUERY_TIMEOUT,
      limit: "queryTimeoutMs",
      value: 200,
    });
  });

  it("export errors have the GraphQL error shape: bad input 400 naming the argument", async () => {
    const answer = await call(`${server.url}/export/network.csv?level=PLANET`, {});
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: [
        {
          message: "level: must be COUNTRY, ORGANISATION or FUNDER",
          extensions: { code: ERROR_CODES.BAD_USER_INPUT, argumentName: "level" },
        },
      ],
    });
    const fromYear = await call(`${server.url}/export/network.csv?level=COUNTRY&fromYear=soon`, {});
    expect(fromYear.status).toBe(400);
    expect(fromYear.json?.errors?.[0]?.extensions).toEqual({
      code: ERROR_CODES.BAD_USER_INPUT,
      argumentName: "fromYear",
    });
  });
});

describe("issue 15.7: an unexpected export failure is a logged 500, not a 503", () => {
  it("answers INTERNAL_SERVER_ERROR in the GraphQL shape and logs the error with the request id", async () => {
    const driver = testDriver();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    // The database answers, but the code around it fails: a bug, which must not read as an outage.
    const broken = new Proxy(driver, {
      get(target, property, receiver) {
        if (property === "session") {
          return () => {
            throw new TypeError("received.some is not a function");
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
    const config = testConfig();
    const server = await startHttpServer({
      schema,
      driver: broken,
      database: TEST_DATABASE,
      host: "127.0.0.1",
      port: 0,
      log: createLogger("info", sink),
      security: {
        production: true,
        introspection: false,
        limits: config.limits,
        readsRequireToken: false,
        verifyToken: createTokenVerifier({ secret: TEST_JWT_SECRET }),
      },
    });
    try {
      const answer = await call(`${server.url}/export/network.csv?level=COUNTRY`, {
        headers: { "x-request-id": "issue-15-7-broken" },
      });
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({
        errors: [{ message: "Unexpected error.", extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR } }],
      });
      const logged = lines.find((l) => l.msg === "unexpected error" && l.requestId === "issue-15-7-broken");
      expect(JSON.stringify(logged)).toContain("received.some is not a function");
      // The same on /graphql: masked for the client, logged with its request id.
      const graphqlAnswer = await call(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "issue-15-7-broken-graphql" },
        body: JSON.stringify({ query: "{ fundingTrend(groupBy: COUNTRY) { description } }" }),
      });
      expect(graphqlAnswer.json?.errors).toEqual([
        expect.objectContaining({
          message: "Unexpected error.",
          extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
        }),
      ]);
      const loggedGraphql = lines.find(
        (l) => l.msg === "unexpected error" && l.requestId === "issue-15-7-broken-graphql",
      );
      expect(JSON.stringify(loggedGraphql)).toContain("received.some is not a function");
    } finally {
      await server.stop();
      await driver.close();
    }
  });
});

describe("issue 15: JWKS verification (RS256 keys served by a local JWKS endpoint)", () => {
  let jwks: http.Server;
  let atlas: RunningAtlas;
  let sign: (claims: JWTPayload, options?: { expired?: boolean; other?: boolean }) => Promise<string>;

  beforeAll(async () => {
    const key = await generateKeyPair("RS256");
    const impostor = await generateKeyPair("RS256");
    const publicJwk = { ...(await exportJWK(key.publicKey)), kid: "atlas-test", alg: "RS256", use: "sig" };
    jwks = http.createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    sign = (claims, options = {}) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "atlas-test" })
        .setSubject("jwks-user");
      if (options.expired) jwt.setIssuedAt(now() - 7200).setExpirationTime(now() - 3600);
      else jwt.setIssuedAt().setExpirationTime("10m");
      return jwt.sign(options.other ? impostor.privateKey : key.privateKey);
    };
    atlas = await startAtlas(
      testConfig({ ...PRODUCTION, readsRequireToken: true, jwtSecret: undefined, jwksUrl }),
      createLogger("silent"),
    );
  });
  afterAll(async () => {
    await atlas?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const query = "{ countries(limit: 1) { id } }";
  const mutation = 'mutation { deleteTopics(where: { id: { eq: "topic:no-such-topic" } }) { nodesDeleted } }';
  const ask = (body: string, authorization?: string) =>
    call(`${atlas.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth(authorization) },
      body: JSON.stringify({ query: body }),
    });

  it.each([
    ["reader token", async () => `Bearer ${await sign({ roles: ["reader"] })}`, 200, 403],
    ["admin token", async () => `Bearer ${await sign({ roles: ["admin"] })}`, 200, 200],
    [
      "expired admin token",
      async () => `Bearer ${await sign({ roles: ["admin"] }, { expired: true })}`,
      401,
      401,
    ],
    [
      "admin token signed with another key",
      async () => `Bearer ${await sign({ roles: ["admin"] }, { other: true })}`,
      401,
      401,
    ],
    ['"roles": "admin"', async () => `Bearer ${await sign({ roles: "admin" })}`, 401, 401],
    // An HS256 token signed with some secret must not pass a JWKS of RSA keys (algorithm confusion).
    ["HS256 admin token", async () => `Bearer ${await hs256({ roles: ["admin"] })}`, 401, 401],
    ["alg none", async () => `Bearer ${algNoneToken()}`, 401, 401],
    ["no token", async () => undefined, 401, 401],
  ])("%s: query %i, mutation %i, export as the query", async (_name, header, readStatus, writeStatus) => {
    const authorization = await header();
    const codeOf = (status: number) =>
      status === 401 ? ERROR_CODES.UNAUTHENTICATED : status === 403 ? ERROR_CODES.FORBIDDEN : undefined;
    const read = await ask(query, authorization);
    expect([read.status, read.json?.errors?.[0]?.extensions?.code]).toEqual([readStatus, codeOf(readStatus)]);
    const write = await ask(mutation, authorization);
    expect([write.status, write.json?.errors?.[0]?.extensions?.code]).toEqual([
      writeStatus,
      codeOf(writeStatus),
    ]);
    const exported = await call(`${atlas.http.url}/export/network.csv?level=COUNTRY&limit=3`, {
      headers: auth(authorization),
    });
    expect([exported.status, exported.json?.errors?.[0]?.extensions?.code]).toEqual([
      readStatus,
      codeOf(readStatus),
    ]);
  });
});

describe("issue 15: one list of error codes", () => {
  it("no file of src/ writes an error code as a string literal: they all come from ERROR_CODES", () => {
    const srcDir = path.join(projectRoot(), "src");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) {
          if (name !== "generated") walk(full);
        } else if (full.endsWith(".ts")) files.push(full);
      }
    };
    walk(srcDir);
    expect(files.length).toBeGreaterThan(20);
    const literal = new RegExp(`["'\`](${Object.values(ERROR_CODES).join("|")})["'\`]`);
    const offenders = files
      .filter((file) => !file.endsWith(path.join("util", "error-codes.ts")))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ line, where: `${path.relative(srcDir, file)}:${i + 1}` }))
          .filter(({ line }) => literal.test(line))
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe("issue 15.7: the explore page's entity lookup runs under the request contract", () => {
  it("its read has the request's transaction timeout and metadata (a hung Neo4j cannot hold the page)", async () => {
    const driver = testDriver();
    const seen: { timeout?: number; metadata?: Record<string, unknown> }[] = [];
    // A page file of its own: the lookup runs only where the explore page is built.
    const dist = mkdtempSync(path.join(os.tmpdir(), "atlas-explore-"));
    writeFileSync(path.join(dist, "explore.html"), "<!doctype html><title>explore</title>");
    const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
    const config = testConfig();
    const QUERY_TIMEOUT_MS = 4321;
    const server = await startHttpServer({
      schema,
      driver: recordingDriver(driver, seen),
      database: TEST_DATABASE,
      host: "127.0.0.1",
      port: 0,
      log: createLogger("silent"),
      security: {
        production: true,
        introspection: false,
        limits: { ...config.limits, queryTimeoutMs: QUERY_TIMEOUT_MS },
        readsRequireToken: false,
        verifyToken: createTokenVerifier({ secret: TEST_JWT_SECRET }),
      },
      routes: [webRoutes(dist, { entityExists })],
    });
    try {
      const requestId = `issue-15-7-explore-${randomUUID()}`;
      // A well-formed id that no entity has: 404 shows that the lookup ran and answered.
      const answer = await call(`${server.url}/explore/country:ZZ-no-such-country`, {
        headers: { "x-request-id": requestId },
      });
      expect(answer.status).toBe(404);
      expect(seen).toContainEqual(
        expect.objectContaining({
          timeout: QUERY_TIMEOUT_MS,
          metadata: expect.objectContaining({ app: "permed-atlas", requestId }),
        }),
      );
    } finally {
      await server.stop();
      await driver.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
