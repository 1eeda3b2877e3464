import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import type { Driver } from "neo4j-driver";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { ERROR_CODES } from "../src/util/error-codes.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { clearDatabase, TEST_DATABASE, TEST_JWT_SECRET, testConfig, testDriver } from "./helpers/database.js";

/*
 * Issue 21.4: GET /export/network.* takes the funder filter (`funderIds`) that the GraphQL network and
 * export queries take, under the same rules as the route's other filters (issue 13.6: repeated or
 * comma-separated; unknown ids refused with 400 naming the parameter) and the same access rule in every
 * auth mode (issue 15: refused credentials get 401 before any validation). The graph: the real seed
 * (seed importer: curated data and CORDIS) and the real OpenAIRE sample records (OpenAIRE importer).
 */

const log = createLogger("silent");
const root = projectRoot();
const OPENAIRE_FIXTURES = path.join(root, "test", "fixtures", "openaire");
/** A curated national funder of ERA PerMed's first call (seed/icpermed.yaml), so a funder network. */
const ANR = "funder:anr";
const JTC2018 = "programme:era-permed-jtc2018";

const now = () => Math.floor(Date.now() / 1000);
async function token(roles: string[], expired = false): Promise<string> {
  const jwt = new SignJWT({ roles }).setProtectedHeader({ alg: "HS256" }).setSubject("test-user");
  if (expired) jwt.setIssuedAt(now() - 7200).setExpirationTime(now() - 3600);
  else jwt.setIssuedAt().setExpirationTime("10m");
  return `Bearer ${await jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET))}`;
}

type Who = "anonymous" | "reader" | "admin" | "refused";
const CREDENTIALS: { who: Who; header: () => Promise<string | undefined> }[] = [
  { who: "anonymous", header: async () => undefined },
  { who: "reader", header: () => token(["reader"]) },
  { who: "admin", header: () => token(["admin"]) },
  { who: "refused", header: () => token(["admin"], true) },
];

/** The funder pairs {a, b} (sorted, joined by a space) of an edge-list CSV. */
function pairs(csv: string): Set<string> {
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  return new Set(rows.map((row) => [row.Source!, row.Target!].sort().join(" ")));
}

describe("issue 21.4: GET /export/network.* with funderIds, in every auth mode", () => {
  let driver: Driver;
  let open: RunningAtlas;
  let closed: RunningAtlas;

  /** The GraphQL export (same arguments, asked of the server whose reads are open, without a token). */
  async function graphqlExport(level: string, funderIds: string[] | null): Promise<string> {
    const response = await fetch(`${open.http.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          "query E($level: NetworkLevel!, $f: [ID!]) { export(format: CSV, level: $level, funderIds: $f, limit: 5000) }",
        variables: { level, f: funderIds },
      }),
    });
    const body = (await response.json()) as { data?: { export: string }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!.export;
  }

  const route = (atlas: RunningAtlas, query: string, authorization?: string) =>
    fetch(`${atlas.http.url}/export/network.csv?limit=5000&${query}`, {
      headers: authorization ? { authorization } : {},
    });

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
    const report = await runOpenAireImport(
      driver,
      TEST_DATABASE,
      OPENAIRE_FIXTURES,
      { countries, dryRun: false, strict: false },
      log,
    );
    expect(report.rejected).toEqual([]);
    expect(report.projects).toBeGreaterThan(0);
    const production = { environment: "production" as const, introspection: false, playground: false };
    open = await startAtlas(testConfig({ ...production, readsRequireToken: false }), log);
    closed = await startAtlas(testConfig({ ...production, readsRequireToken: true }), log);
    // The seed and the OpenAIRE sample outlasted the default 300 s hook on a busy 2-core machine.
  }, 900_000);

  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
    await driver?.close();
  });

  it("?funderIds=<curated funder> gives the GraphQL export's network: the funder's co-funders, a part of the whole", async () => {
    const expected = await graphqlExport("FUNDER", [ANR]);
    const answer = await route(open, `level=FUNDER&funderIds=${encodeURIComponent(ANR)}`);
    expect(answer.status).toBe(200);
    const body = await answer.text();
    expect(body).toBe(expected);
    // From the seed file, not from the product: every other funder of ERA PerMed's JTC2018, which ANR
    // co-funds, is linked to ANR; and the filter only narrows the whole funder network.
    const seed = YAML.parse(readFileSync(path.join(defaultSeedDir(), "icpermed.yaml"), "utf8")) as {
      programmes: { id: string; fundedBy?: { funder: string }[] }[];
    };
    const coFunders = seed.programmes
      .find((programme) => programme.id === JTC2018)!
      .fundedBy!.map((link) => link.funder)
      .filter((funder) => funder !== ANR);
    expect(coFunders.length).toBeGreaterThan(5);
    const filtered = pairs(body);
    for (const funder of coFunders) expect(filtered).toContain([ANR, funder].sort().join(" "));
    const whole = pairs(await (await route(open, "level=FUNDER")).text());
    for (const pair of filtered) expect(whole).toContain(pair);
    expect(whole.size).toBeGreaterThan(filtered.size);
  });

  it("repeated and comma-separated funderIds are the same filter; an empty one is no filter", async () => {
    const aka = "funder:aka";
    const expected = await graphqlExport("FUNDER", [ANR, aka]);
    const repeated = await route(
      open,
      `level=FUNDER&funderIds=${encodeURIComponent(ANR)}&funderIds=${encodeURIComponent(aka)}`,
    );
    expect(repeated.status).toBe(200);
    expect(await repeated.text()).toBe(expected);
    expect(
      await (await route(open, `level=FUNDER&funderIds=${encodeURIComponent(`${ANR},${aka}`)}`)).text(),
    ).toBe(expected);
    expect(await (await route(open, "level=FUNDER&funderIds=")).text()).toBe(
      await graphqlExport("FUNDER", null),
    );
  });

  it("an OpenAIRE funder whose sample records have no participants leaves no country network", async () => {
    // The sample folder holds project records only (no organisation or relation dump): NIH's projects
    // have no participant, while the seed's CORDIS projects link many countries.
    const nih = await route(open, `level=COUNTRY&funderIds=${encodeURIComponent("funder:openaire:NIH")}`);
    expect(nih.status).toBe(200);
    expect(pairs(await nih.text()).size).toBe(0);
    expect(pairs(await (await route(open, "level=COUNTRY")).text()).size).toBeGreaterThan(0);
  });

  it.each([
    ["funderIds=funder:nope", "funder:nope"],
    [`funderIds=${encodeURIComponent(ANR)},funder:nope`, "funder:nope"],
    ["funderIds=funder:nope&funderIds=funder:openaire:NIH", "funder:nope"],
    // A topic id is no funder id.
    ["funderIds=topic:legal-basis:HORIZON.2.1", "topic:legal-basis:HORIZON.2.1"],
  ])("?%s is refused with 400 BAD_USER_INPUT naming funderIds and the id", async (query, unknown) => {
    const answer = await route(open, `level=COUNTRY&${query}`);
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.extensions).toMatchObject({
      code: ERROR_CODES.BAD_USER_INPUT,
      argumentName: "funderIds",
    });
    expect(body.errors[0]!.message).toContain(unknown);
  });

  it.each([
    ["reads open", false],
    ["reads need a token", true],
  ])(
    "%s: every credential gets what the read rule says, with a good and a bad funderIds",
    async (_mode, closedMode) => {
      const atlas = closedMode ? closed : open;
      const expected = await graphqlExport("FUNDER", [ANR]);
      const failures: string[] = [];
      for (const credential of CREDENTIALS) {
        const authorization = await credential.header();
        const allowed =
          credential.who === "reader" ||
          credential.who === "admin" ||
          (credential.who === "anonymous" && !closedMode);
        for (const [query, status] of [
          [`level=FUNDER&funderIds=${encodeURIComponent(ANR)}`, 200],
          ["level=FUNDER&funderIds=funder:nope", 400],
        ] as const) {
          const answer = await route(atlas, query, authorization);
          const text = await answer.text();
          const where = `${credential.who} ${query}`;
          if (!allowed) {
            // Refused before the parameters are read: nothing about them, and no network.
            if (answer.status !== 401) failures.push(`${where}: ${answer.status}, want 401`);
            expect(JSON.parse(text).errors[0].extensions.code, where).toBe(ERROR_CODES.UNAUTHENTICATED);
            expect(text, where).not.toContain("funderIds");
            continue;
          }
          if (answer.status !== status)
            failures.push(`${where}: ${answer.status}, want ${status}: ${text.slice(0, 200)}`);
          if (status === 200) expect(text, where).toBe(expected);
          else expect(JSON.parse(text).errors[0].extensions.argumentName, where).toBe("funderIds");
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
