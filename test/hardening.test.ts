import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SignJWT } from "jose";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AtlasConfig } from "../src/config/config.js";
import { createDriver } from "../src/db/connection.js";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createErrorFormatter } from "../src/server/error-format.js";
import { createTokenVerifier } from "../src/server/token.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import {
  clearDatabase,
  graphFingerprint,
  TEST_DATABASE,
  TEST_JWT_SECRET,
  testConfig,
  testDriver,
} from "./helpers/database.js";
import { freePort } from "./helpers/free-port.js";
import { adminToken, postGraphQL } from "./helpers/graphql.js";
import { startBareServer } from "./helpers/http-server.js";
import { afterBatch, killImportMidTransaction } from "./helpers/kill-import.js";
import { logCapture } from "./helpers/log-capture.js";
import { scratchNeo4jOptions } from "./helpers/scratch-neo4j.js";

const log = createLogger("silent");

/** Credentials that must never pass, each with how it is made. */
const UNAUTHENTICATED_CASES: [string, () => Promise<string | undefined>][] = [
  ["no token", async () => undefined],
  [
    "a token signed with another secret",
    async () => `Bearer ${await adminToken({ secret: "another-secret-that-is-long-enough-0123456789" })}`,
  ],
  [
    "an expired token",
    async () =>
      `Bearer ${await new SignJWT({ roles: ["admin"] })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET))}`,
  ],
  ["a token that is not a JWT", async () => "Bearer not-a-jwt"],
];

describe("a server that is safe to put on the internet", () => {
  let atlas: RunningAtlas;
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    // The seed, through the real loader: the time-out test needs data that takes time to read.
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    atlas = await startAtlas(testConfig({ environment: "production", introspection: false }), log);
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });
  const stillServing = async () =>
    expect((await postGraphQL(atlas.http.url, "{ __typename }")).data).toEqual({ __typename: "Query" });

  /** A server of its own whose limits differ from the defaults only as given (the others out of the way). */
  const withLimits = async (limits: Partial<AtlasConfig["limits"]>) => {
    const base = testConfig({ environment: "production" });
    return startAtlas({ ...base, limits: { ...base.limits, ...limits } }, log);
  };
  /** funders { consortia { members { consortia { … id } } } }: `depth` fields deep, valid at every level. */
  const nested = (depth: number) => {
    let selection = "id";
    for (let level = depth - 1; level >= 1; level--) {
      const field = level === 1 ? "funders" : level % 2 === 0 ? "consortia" : "members";
      selection = `${field} { ${selection} }`;
    }
    return `{ ${selection} }`;
  };

  it("refuses a query deeper than ATLAS_MAX_DEPTH, naming the limit and the depth found", async () => {
    const own = await withLimits({ maxDepth: 6, maxCost: 1_000_000 });
    try {
      expect((await postGraphQL(own.http.url, nested(6))).errors).toBeUndefined();
      const response = await postGraphQL(own.http.url, nested(9));
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.message).toMatch(
        /^Syntax Error: Query depth limit of 6 exceeded, found \d+\.$/,
      );
      expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    } finally {
      await own.stop();
    }
  });

  it("refuses a query costlier than ATLAS_MAX_COST, naming the limit and the cost found", async () => {
    const own = await withLimits({ maxCost: 40, maxDepth: 100 });
    try {
      const response = await postGraphQL(own.http.url, nested(9));
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.message).toMatch(/Query Cost limit of 40 exceeded, found \d+/);
      expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    } finally {
      await own.stop();
    }
  });

  it("refuses more directives than ATLAS_MAX_DIRECTIVES", async () => {
    const response = await postGraphQL(atlas.http.url, `{ __typename ${"@include(if: true) ".repeat(21)}}`);
    expect(response.errors?.[0]?.message).toMatch(/Directives limit of 20 exceeded, found 21/);
    expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  // Issue 15 fault: the README promised GRAPHQL_PARSE_FAILED; Armor answered 500 GRAPHQL_VALIDATION_FAILED.
  it("refuses more tokens than ATLAS_MAX_TOKENS as the README says: 400 GRAPHQL_PARSE_FAILED", async () => {
    // 2,000 aliases of 3 tokens each, plus the braces: 6,002 tokens, over the limit of 5,000.
    const aliases = Array.from({ length: 2000 }, (_, i) => `a${i}: __typename`).join(" ");
    const response = await postGraphQL(atlas.http.url, `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(response.errors?.[0]?.message).toBe(
      "Syntax Error: Document contains more that 5000 tokens. Parsing aborted.",
    );
  });

  it("refuses an alias bomb", async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: countries(limit: 1) { id }`).join(" ");
    const response = await postGraphQL(atlas.http.url, `{ ${aliases} }`);
    expect(response.errors?.[0]?.message).toMatch(/aliases limit of 15 exceeded, found 60/i);
    await stillServing();
  });

  it("refuses a 10 MB body before parsing it", async () => {
    const response = await fetch(`${atlas.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ __typename }`, variables: { padding: "x".repeat(10 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string; value: number } }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: "PAYLOAD_TOO_LARGE", value: 1_048_576 });
    await stillServing();
  });

  it.each([
    ["not JSON at all", "{not json", 400, "BAD_REQUEST"],
    ["cut short", '{"query": "{ __typename }"', 400, "BAD_REQUEST"],
  ])("answers a body that is %s with a GraphQL-shaped 400", async (_name, body, status, code) => {
    const response = await fetch(`${atlas.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(answer.errors[0]!.extensions.code).toBe(code);
    expect(answer.errors[0]!.message).toBe("The request body is not valid JSON.");
    await stillServing();
  });

  it.each([
    ["a JSON array", "[]"],
    ["a JSON string", '"{ __typename }"'],
    ["an object without a query", '{"variables": {}}'],
  ])("answers a body that is %s with 400, not 500", async (_name, body) => {
    const response = await fetch(`${atlas.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(400);
    await stillServing();
  });

  it.each([
    ["GET", "/nowhere"],
    ["POST", "/graphql/extra"],
    ["GET", "/%C3%A9t%C3%A9?x=<script>"],
    ["DELETE", "/health"],
  ])(
    "answers %s %s, which no route serves, with 404 NOT_FOUND in the JSON error shape",
    async (method, route) => {
      const response = await fetch(`${atlas.http.url}${route}`, { method });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe("NOT_FOUND");
      expect(body.errors[0]?.message).toContain(method);
    },
  );

  it("answers QUERY_TIMEOUT, naming the limit, when a query outlives ATLAS_QUERY_TIMEOUT_MS", async () => {
    const own = await withLimits({ queryTimeoutMs: 1 });
    try {
      // Every organisation with every project of every partner: far more than 1 ms of work on the seed.
      const response = await postGraphQL(
        own.http.url,
        "{ organisations(limit: 500) { projects(limit: 500) { participants(limit: 500) { projects(limit: 500) { id title } } } } }",
      );
      expect(response.errors?.[0]?.extensions).toEqual({
        code: "QUERY_TIMEOUT",
        limit: "queryTimeoutMs",
        value: 1,
      });
      expect(response.errors?.[0]?.message).toMatch(/longer than the limit of 1 ms/);
    } finally {
      await own.stop();
    }
  });

  it("refuses a page of 100,000 rows, literal or variable", async () => {
    const literal = await postGraphQL(atlas.http.url, "{ projects(limit: 100000) { id } }");
    expect(literal.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "limit",
      limit: "maxPageSize",
      value: 500,
      count: 100000,
    });
    const variable = await postGraphQL(
      atlas.http.url,
      "query Q($n: Int) { projectsConnection(first: $n) { totalCount } }",
      { n: 100000 },
    );
    expect(variable.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "first" });
    await stillServing();
  });

  describe("writes, with reads open", () => {
    const mutation = `mutation { createTopics(input: [{ id: "topic:hardening", name: "x", scheme: "ATLAS" }]) { topics { id } } }`;
    const attempt = (authorization?: string) =>
      postGraphQL(atlas.http.url, mutation, undefined, authorization ? { authorization } : {});

    it.each(UNAUTHENTICATED_CASES)("are refused with %s: UNAUTHENTICATED", async (_name, header) => {
      const response = await attempt(await header());
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
      expect(JSON.stringify(response)).not.toContain(TEST_JWT_SECRET);
      await stillServing();
    });

    // Issue 15 fault: a valid token without the admin role got UNAUTHENTICATED, not the promised FORBIDDEN.
    it("are refused with a valid token without the admin role: 403 FORBIDDEN", async () => {
      const response = await attempt(`Bearer ${await adminToken({ roles: ["reader"] })}`);
      expect(response.status).toBe(403);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    });

    it("succeed with an admin token", async () => {
      const response = await attempt(`Bearer ${await adminToken()}`);
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ createTopics: { topics: [{ id: "topic:hardening" }] } });
    });

    it("reads need no token", async () => {
      const response = await postGraphQL(
        atlas.http.url,
        '{ topics(where: { id: { eq: "topic:hardening" } }) { id } }',
      );
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ topics: [{ id: "topic:hardening" }] });
    });
  });

  describe("with ATLAS_READS_REQUIRE_TOKEN=true", () => {
    let guarded: RunningAtlas;
    beforeAll(async () => {
      guarded = await startAtlas(testConfig({ environment: "production", readsRequireToken: true }), log);
    });
    afterAll(() => guarded.stop());
    const read = (authorization?: string) =>
      postGraphQL(
        guarded.http.url,
        "{ topics(limit: 1) { id } }",
        undefined,
        authorization ? { authorization } : {},
      );

    it.each(UNAUTHENTICATED_CASES)("a read with %s gets 401 UNAUTHENTICATED", async (_name, header) => {
      const response = await read(await header());
      expect(response.status).toBe(401);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(JSON.stringify(response)).not.toContain(TEST_JWT_SECRET);
    });

    it("a read with an admin token is answered", async () => {
      const response = await read(`Bearer ${await adminToken()}`);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ topics: [{ id: expect.any(String) }] });
    });

    // Issue 15 fault: the README said any valid token reads; only admin tokens did.
    it("a read with a valid reader token is answered", async () => {
      const response = await read(`Bearer ${await adminToken({ roles: ["reader"] })}`);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ topics: [{ id: expect.any(String) }] });
    });
  });

  it("masks unexpected errors in production: no stack, no Cypher, a stable code", () => {
    const format = createErrorFormatter({ production: true, queryTimeoutMs: 1000 });
    const internal = new Error("Invalid input 'MATCH (n) /work/main/src/x.ts'");
    expect(
      format(
        { message: internal.message, extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } },
        internal,
      ),
    ).toEqual({
      message: "Unexpected error.",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    const userError = {
      message: "limit: too large",
      extensions: { code: "BAD_USER_INPUT", stacktrace: ["at y"] },
    };
    expect(format(userError, userError)).toEqual({
      message: "limit: too large",
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("hides the schema from introspection in production", async () => {
    const response = await postGraphQL(atlas.http.url, "{ __schema { queryType { name } } }");
    expect(response.errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe("when Neo4j goes away and comes back", () => {
  let instance: EmbeddedNeo4j;
  let dataDir: string;
  afterAll(async () => {
    await instance?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers SERVICE_UNAVAILABLE and 503 while it is down, and serves again without a restart", async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-fault-"));
    const options = await scratchNeo4jOptions(dataDir);
    instance = await startOrAttachEmbeddedNeo4j(options, log);
    const driver = createDriver(instance.uri, instance.username, instance.password);
    await applySchema(driver, "neo4j", schemaStatements(loadTypeDefs()));
    const server = await startBareServer(driver, { analysis: true });
    const load = () => postGraphQL(server.url, "{ countries(limit: 5) { id } }");
    try {
      expect((await load()).errors).toBeUndefined();

      // Frozen, not gone (a stalled disk, a long GC pause): the connection stays open and Neo4j's own
      // timeout never fires. The client must still get QUERY_TIMEOUT at the limit, not wait forever.
      const base = testConfig();
      const impatient = await startBareServer(driver, {
        security: {
          production: false,
          introspection: true,
          limits: { ...base.limits, queryTimeoutMs: 1_500 },
          readsRequireToken: false,
          verifyToken: createTokenVerifier({}),
        },
      });
      process.kill(-instance.pid, "SIGSTOP");
      try {
        const frozenAt = Date.now();
        const frozen = await postGraphQL(impatient.url, "{ countries(limit: 5) { id } }");
        expect(frozen.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TIMEOUT", value: 1_500 });
        expect(Date.now() - frozenAt).toBeLessThan(30_000);
      } finally {
        process.kill(-instance.pid, "SIGCONT");
        await impatient.stop();
      }
      await instance.stop();
      const started = Date.now();
      const down = await load();
      expect(down.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(503);

      // A server starting now waits for the database (ATLAS_DB_WAIT_MS) instead of exiting.
      const { stream: capture, lines } = logCapture();
      const starting = startAtlas(
        {
          ...base,
          autoSeed: false,
          databaseWaitMs: 240_000,
          database: {
            kind: "external",
            uri: instance.uri,
            username: instance.username,
            password: instance.password,
            database: "neo4j",
          },
        },
        createLogger("warn", capture),
      );
      // Restarted only once the waiting server has been refused at least once.
      while (!lines.some((line) => line.includes("Neo4j is not answering yet; retrying")))
        await new Promise((resolve) => setTimeout(resolve, 50));
      instance = await startOrAttachEmbeddedNeo4j(options, log);
      const waited = await starting;
      try {
        expect((await postGraphQL(waited.http.url, "{ countries(limit: 5) { id } }")).errors).toBeUndefined();
      } finally {
        await waited.stop();
      }

      // The server that kept running recovers by itself.
      let back = await load();
      for (let i = 0; i < 120 && back.errors; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        back = await load();
      }
      expect(back.errors).toBeUndefined();
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    } finally {
      await server.stop();
      await driver.close();
    }
  });
});

describe("start-up without a database", () => {
  it("retries with growing pauses, then gives up after ATLAS_DB_WAIT_MS with the last reason", async () => {
    const { stream: capture, lines } = logCapture();
    const closedPort = await freePort(); // nothing listens there
    const base = testConfig();
    const started = Date.now();
    const failure = await startAtlas(
      {
        ...base,
        databaseWaitMs: 3000,
        database: {
          kind: "external",
          uri: `bolt://127.0.0.1:${closedPort}`,
          username: "neo4j",
          password: "whatever1",
          database: "neo4j",
        },
      },
      createLogger("warn", capture),
    ).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    const match = (failure as Error).message.match(
      new RegExp(
        `^Neo4j at bolt://127\\.0\\.0\\.1:${closedPort} did not answer within 3 s \\((\\d+) attempts\\): .+`,
      ),
    );
    expect(match, (failure as Error).message).not.toBeNull();
    const attempts = Number(match![1]);
    const retries = lines.filter((line) => line.includes("Neo4j is not answering yet; retrying"));
    // 500 ms, then 1 s, then 2 s: the third pause would pass the 3 s bound.
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(retries).toHaveLength(attempts - 1);
    expect(retries.map((line) => (JSON.parse(line) as { retryInMs: number }).retryInMs)).toEqual(
      [500, 1000, 2000, 4000].slice(0, attempts - 1),
    );
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

/** The CORDIS import's staging area (nodes no reader sees) and its lock, named here as the test expects them. */
const STAGING = "n:CordisStaged OR n:CordisImportLock";

describe("an import killed at different moments while it stages and writes", () => {
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(() => driver.close());

  it("leaves the graph readers see exactly as before, never in between; the next import completes it", async () => {
    const subset = path.join(defaultSeedDir(), "cordis", "horizon");
    const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
    const importSubset = () =>
      runCordisImport(driver, TEST_DATABASE, subset, { countries, dryRun: false, strict: false }, log);
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const before = await graphFingerprint(driver);
    await importSubset();
    const complete = await graphFingerprint(driver);
    expect(complete.checksum).not.toBe(before.checksum);
    const moments: [string, (line: string) => boolean][] = [
      ["after the projects were written", afterBatch(1)],
      // Staging batches are committed as they go: a kill here leaves staged nodes behind for the next run.
      ["half-way through organization.csv", (line) => /^writing .*organization\.csv: [5-9]0% /.test(line)],
      // Then the topic files are still to be read and the publish is still to come.
      ["at the end of organization.csv", (line) => /^writing .*organization\.csv: 100% /.test(line)],
    ];
    for (const [moment, trigger] of moments) {
      await clearDatabase(driver);
      await killImportMidTransaction(driver, subset, trigger);
      // Readers see the graph as it was: what the killed run staged (in committed staging batches) is
      // out of their sight...
      expect((await graphFingerprint(driver, { alsoWithout: STAGING })).checksum, moment).toBe(
        before.checksum,
      );
      // ...and the next import removes it and completes to the same graph as an undisturbed one.
      await importSubset();
      expect((await graphFingerprint(driver)).checksum, moment).toBe(complete.checksum);
    }
  });
});
