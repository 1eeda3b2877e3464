import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SignJWT } from "jose";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDriver } from "../src/db/connection.js";
import { type EmbeddedNeo4j, startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadTypeDefs } from "../src/graphql/type-defs.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { createErrorFormatter } from "../src/server/error-format.js";
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
import { adminToken, postGraphQL } from "./helpers/graphql.js";
import { startBareServer } from "./helpers/http-server.js";
import { scratchNeo4jOptions } from "./helpers/scratch-neo4j.js";

const log = createLogger("silent");

describe("a server that is safe to put on the internet", () => {
  let atlas: RunningAtlas;
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    atlas = await startAtlas(testConfig({ environment: "production", introspection: false }), log);
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });
  const stillServing = async () =>
    expect((await postGraphQL(atlas.http.url, "{ __typename }")).data).toEqual({ __typename: "Query" });

  it("refuses a depth-50 query, naming the limit and the depth found", async () => {
    let selection = "id";
    for (let i = 0; i < 25; i++) selection = `funders { consortia { ${selection} } }`;
    const response = await postGraphQL(atlas.http.url, `{ ${selection} }`);
    // Armor checks cost before depth: whichever fires, it names the limit and what it found.
    expect(response.errors?.[0]?.message).toMatch(
      /(depth limit of 12|cost limit of 20000) exceeded, found \d+/i,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    await stillServing();
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

  it("refuses a page of 100,000 rows, literal or variable", async () => {
    const literal = await postGraphQL(atlas.http.url, "{ projects(limit: 100000) { id } }");
    expect(literal.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "limit",
      value: 100000,
    });
    const variable = await postGraphQL(
      atlas.http.url,
      "query Q($n: Int) { projectsConnection(first: $n) { totalCount } }",
      { n: 100000 },
    );
    expect(variable.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "first" });
    await stillServing();
  });

  describe("writes", () => {
    const mutation = `mutation { createTopics(input: [{ id: "topic:hardening", name: "x", scheme: "ATLAS" }]) { topics { id } } }`;
    const attempt = (authorization?: string) =>
      postGraphQL(atlas.http.url, mutation, undefined, authorization ? { authorization } : {});

    it.each([
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
      ["a token without the admin role", async () => `Bearer ${await adminToken({ roles: ["reader"] })}`],
    ])("are refused with %s", async (_name, header) => {
      const response = await attempt(await header());
      expect(response.errors?.[0]?.extensions?.code).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);
      expect(JSON.stringify(response)).not.toContain(TEST_JWT_SECRET);
      await stillServing();
    });

    it("succeed with an admin token", async () => {
      const response = await attempt(`Bearer ${await adminToken()}`);
      expect(response.data).toEqual({ createTopics: { topics: [{ id: "topic:hardening" }] } });
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
      await instance.stop();
      const started = Date.now();
      const down = await load();
      expect(down.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(503);

      instance = await startOrAttachEmbeddedNeo4j(options, log);
      let back = await load();
      for (let i = 0; i < 20 && back.errors; i++) {
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

describe("an import killed at random moments", () => {
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(() => driver.close());

  it("leaves the graph either as before or complete, never in between", async () => {
    const subset = path.join(defaultSeedDir(), "cordis", "horizon");
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const before = await graphFingerprint(driver);
    await runCordisImport(
      driver,
      TEST_DATABASE,
      subset,
      {
        countries: readCountryReference(path.join(defaultSeedDir(), "reference")),
        dryRun: false,
        strict: false,
      },
      log,
    );
    const complete = await graphFingerprint(driver);
    const { uri, password } = inject("neo4j");
    // Deterministic "random" moments, spread over the import (start-up of the CLI included).
    for (const delayMs of [2500, 4200, 6100, 8300]) {
      await clearDatabase(driver);
      const child: ChildProcess = spawn(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "import", "cordis", subset],
        {
          env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "silent" },
          stdio: "ignore",
        },
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill("SIGKILL");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on("exit", resolve)));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const after = await graphFingerprint(driver);
      expect([before.checksum, complete.checksum]).toContain(after.checksum);
    }
  });
});
