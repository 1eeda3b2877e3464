import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";
import { SignJWT } from "jose";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { clearDatabase, TEST_DATABASE, TEST_JWT_SECRET, testConfig, testDriver } from "./helpers/database.js";
import {
  fuzzGenerator,
  type GeneratedRequest,
  hostileVariables,
  isSearchField,
} from "./helpers/fuzz-generator.js";
import { adminToken } from "./helpers/graphql.js";

/**
 * The codes a client may be given for a request it got wrong. Anything else (INTERNAL_SERVER_ERROR, an
 * error without a code, SERVICE_UNAVAILABLE while the database is up) is a fault of ours, whatever the
 * HTTP status: Apollo answers an unexpected resolver error with 200.
 */
const CLIENT_ERROR_CODES = new Set([
  "BAD_USER_INPUT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "QUERY_TIMEOUT",
  "PAYLOAD_TOO_LARGE",
]);

// Printed so that a failing run can be repeated exactly: ATLAS_FUZZ_SEED=<seed> npx vitest run test/fuzz.test.ts
const SEED = Number(process.env.ATLAS_FUZZ_SEED ?? 20261129);

interface Finding {
  status: number;
  request: GeneratedRequest;
  authorization?: string | undefined;
  answer: string;
}

/** Sends requests from `next` with `clients` in parallel; returns every answer that shows a fault of ours. */
async function fuzz(
  url: string,
  next: () => GeneratedRequest,
  total: number,
  authorization: () => Promise<string | undefined> = async () => undefined,
  clients = 4,
): Promise<{ findings: Finding[]; answered: number }> {
  const findings: Finding[] = [];
  let answered = 0;
  const client = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const request = next();
      const auth = await authorization();
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      answered++;
      let errors: { extensions?: { code?: unknown } }[] = [];
      try {
        errors = (JSON.parse(text) as { errors?: typeof errors }).errors ?? [];
      } catch {
        errors = [{}]; // not JSON at all: a fault
      }
      const fault =
        response.status >= 500 ||
        errors.some(
          (e) => typeof e.extensions?.code !== "string" || !CLIENT_ERROR_CODES.has(e.extensions.code),
        ) ||
        /at .+\.(js|ts):\d+/.test(text); // no stack trace ever leaves a production server
      if (fault)
        findings.push({ status: response.status, request, authorization: auth, answer: text.slice(0, 400) });
    }
  };
  await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      client(Math.floor(total / clients) + (i < total % clients ? 1 : 0)),
    ),
  );
  return { findings, answered };
}

const report = (findings: Finding[]) =>
  findings
    .slice(0, 5)
    .map(
      (f) =>
        `HTTP ${f.status} ${f.request.query.slice(0, 300)} ${JSON.stringify(f.request.variables).slice(0, 200)}\n  -> ${f.answer}`,
    )
    .join("\n");

/** Correctly signed tokens whose claims are not what the API expects, and tokens that are not JWTs at all. */
function malformedTokens(): Promise<string>[] {
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(TEST_JWT_SECRET))
      .then((jwt) => `Bearer ${jwt}`);
  const b64 = (text: string) => Buffer.from(text).toString("base64url");
  const handMade = (payload: string, alg = "HS256") => {
    const head = `${b64(JSON.stringify({ alg, typ: "JWT" }))}.${b64(payload)}`;
    const signature =
      alg === "none" ? "" : createHmac("sha256", TEST_JWT_SECRET).update(head).digest("base64url");
    return Promise.resolve(`Bearer ${head}.${signature}`);
  };
  return [
    signed({ roles: "admin" }),
    signed({ roles: 1 }),
    signed({ roles: { admin: true } }),
    signed({ roles: [null, 7] }),
    signed({ sub: 12 }),
    signed({}),
    handMade("not json"),
    handMade(JSON.stringify({ roles: ["admin"] }), "none"),
    handMade(JSON.stringify({ roles: ["admin"], exp: "tomorrow" })),
    Promise.resolve("Bearer "),
    Promise.resolve("Bearer a.b.c"),
    Promise.resolve("Basic YWRtaW46YWRtaW4="),
    Promise.resolve("Bearer \u00e9\u00e9"),
  ];
}

describe(`fuzzing the API with generated operations (seed ${SEED})`, () => {
  let atlas: RunningAtlas;
  let driver: Driver;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    process.stdout.write(`fuzz seed ${SEED}: repeat with ATLAS_FUZZ_SEED=${SEED}\n`);
    // Its own data: the seed, loaded through the real loader, whatever an earlier file left behind.
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    // And national-funder projects through the OpenAIRE importer (issue 21): amounts in other
    // currencies, SAME_AS funders and a second ImportRun, which the seed alone never gives the fuzz.
    await runOpenAireImport(
      driver,
      TEST_DATABASE,
      path.join(projectRoot(), "test", "fixtures", "openaire"),
      {
        countries: readCountryReference(path.join(defaultSeedDir(), "reference")),
        dryRun: false,
        strict: false,
        displayRoot: "/",
      },
      createLogger("silent"),
    );
    atlas = await startAtlas(testConfig({ environment: "production" }), createLogger("silent"));
    // The printed public API (same graphql module as this file; @neo4j/graphql uses the CommonJS one).
    schema = buildSchema(
      readFileSync(path.join(projectRoot(), "src", "generated", "schema.graphql"), "utf8"),
    );
  });
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  it("reads: 1,200 generated queries with awkward values answer without an internal error", async () => {
    const next = fuzzGenerator(schema, SEED, { rootFilter: (field) => !isSearchField(field) });
    const { findings, answered } = await fuzz(atlas.http.url, next, 1200);
    expect(answered).toBe(1200);
    expect(findings, report(findings)).toEqual([]);
  });

  // Issue 14 fault: Lucene syntax in a phrase reached the parser (phrases are literal now).
  it("search: 300 phrases with Lucene syntax, accents and control characters answer without an internal error (issue 14)", async () => {
    const next = fuzzGenerator(schema, SEED + 1, { rootFilter: isSearchField });
    const { findings, answered } = await fuzz(atlas.http.url, next, 300);
    expect(answered).toBe(300);
    expect(findings, report(findings)).toEqual([]);
  });

  // Issue 15 fault: a `roles` claim that is a string crashed the role check.
  it("tokens with malformed claims are refused, never an internal error (issue 15)", async () => {
    const tokens = await Promise.all(malformedTokens());
    let i = 0;
    const token = async () => tokens[i++ % tokens.length];
    const reads = await fuzz(atlas.http.url, fuzzGenerator(schema, SEED + 2), 100, token);
    const writes = await fuzz(
      atlas.http.url,
      fuzzGenerator(schema, SEED + 3, { operation: "mutation" }),
      100,
      token,
    );
    expect(reads.answered + writes.answered).toBe(200);
    expect([...reads.findings, ...writes.findings], report([...reads.findings, ...writes.findings])).toEqual(
      [],
    );
  });

  it("hostile variables: 300 generated requests with deep, long, unknown-field, invalid-Unicode or null variables never meet an internal error", async () => {
    const token = `Bearer ${await adminToken()}`;
    const reads = hostileVariables(fuzzGenerator(schema, SEED + 5), SEED + 5);
    const writes = hostileVariables(fuzzGenerator(schema, SEED + 6, { operation: "mutation" }), SEED + 6);
    const read = await fuzz(atlas.http.url, reads, 200);
    const write = await fuzz(atlas.http.url, writes, 100, async () => token, 1);
    expect(read.answered + write.answered).toBe(300);
    expect([...read.findings, ...write.findings], report([...read.findings, ...write.findings])).toEqual([]);
  });

  it("writes: 300 generated mutations with an admin token answer without an internal error", async () => {
    const token = `Bearer ${await adminToken()}`;
    const next = fuzzGenerator(schema, SEED + 4, { operation: "mutation" });
    // One client: concurrent writes would make the run depend on timing, not only on the seed.
    const { findings, answered } = await fuzz(atlas.http.url, next, 300, async () => token, 1);
    expect(answered).toBe(300);
    expect(findings, report(findings)).toEqual([]);
  });
});
