import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadTypeDefs } from "../src/graphql/type-defs.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/**
 * The network analytics on the real seed, loaded by the seed loader (its curated YAML and its CORDIS
 * exports through the CORDIS importer). Expected values are computed here from the seed's files (yaml,
 * papaparse) or by networkx, never read from the code under test.
 */
const seedDir = defaultSeedDir();
type Yaml = Record<string, Record<string, unknown>[] | undefined>;
const files: Yaml[] = readdirSync(seedDir)
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => parseYaml(readFileSync(path.join(seedDir, name), "utf8")) as Yaml);
const all = (key: string) => files.flatMap((file) => file[key] ?? []);

/** A funder's body as the seed's curated SAME_AS says (funder -> the funder it is the same body as). */
const sameAs = new Map(
  all("funders").flatMap((funder) =>
    ((funder.sameAs ?? []) as { funder: string }[]).map(
      (same) => [funder.id as string, same.funder] as const,
    ),
  ),
);
const bodyOf = (funder: string) => sameAs.get(funder) ?? funder;
const funderKind = new Map(all("funders").map((funder) => [funder.id as string, funder.kind as string]));

type Call = { id: string; year: number | null; funders: string[] };
/** The seed's transnational calls with their funders as bodies (the EC left out unless asked). */
function seedCalls(withEc: boolean, fromYear?: number, toYear?: number): Call[] {
  return all("programmes")
    .filter((programme) => programme.kind === "TRANSNATIONAL_CALL")
    .map((programme) => ({
      id: programme.id as string,
      year: (programme.startYear as number | undefined) ?? null,
      funders: [
        ...new Set(
          ((programme.fundedBy ?? []) as { funder: string }[])
            .map((link) => bodyOf(link.funder))
            .filter((funder) => withEc || funderKind.get(funder) !== "EUROPEAN_COMMISSION"),
        ),
      ].sort(),
    }))
    .filter(
      (call) =>
        (fromYear === undefined || (call.year !== null && call.year >= fromYear)) &&
        (toYear === undefined || (call.year !== null && call.year <= toYear)),
    );
}

describe("network analytics on the seed", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  const query = (q: string, variables?: Record<string, unknown>): Promise<any> =>
    postGraphQL(atlas.http.url, q, variables).then(expectData);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  }, 300_000);
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  describe("coFundingNetwork", () => {
    const coFunding = `query C($fromYear: Int, $toYear: Int, $ec: Boolean, $minCalls: Int) {
      coFundingNetwork(fromYear: $fromYear, toYear: $toYear, includeEuropeanCommission: $ec, minCalls: $minCalls) {
        nodes { key calls callKeys callsWithoutCommitment commitments { currency amount } }
        edges { source target calls callKeys callsWithoutCommitment commitments { currency amount } }
        calls { key year funderKeys statedFunders fundersWithoutCommitment }
        commitmentsStated commitmentsMissing sourceCount
        coverage { projects missing { what subjectId stated recorded } statement }
      }
    }`;

    /** Edges of the seed's calls, computed pair by pair: "a|b" -> shared call ids. */
    function expectedEdges(calls: Call[]): Map<string, string[]> {
      const edges = new Map<string, string[]>();
      for (const call of calls)
        for (const a of call.funders)
          for (const b of call.funders)
            if (a < b) edges.set(`${a}|${b}`, [...(edges.get(`${a}|${b}`) ?? []), call.id]);
      return edges;
    }

    for (const [name, variables, withEc] of [
      ["every call, national funders", {}, false],
      ["every call, with the European Commission", { ec: true }, true],
      ["calls of 2019-2021", { fromYear: 2019, toYear: 2021 }, false],
    ] as const) {
      it(`${name}: nodes, edges and the calls behind them are the seed's`, async () => {
        const v = variables as { fromYear?: number; toYear?: number };
        const calls = seedCalls(withEc, v.fromYear, v.toYear);
        const { coFundingNetwork: n } = await query(coFunding, variables);
        expect(
          n.calls.map((call: Call & { key: string; funderKeys: string[] }) => [call.key, call.funderKeys]),
        ).toEqual(
          [...calls]
            .sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || a.id.localeCompare(b.id))
            .map((call) => [call.id, call.funders]),
        );
        const edges = expectedEdges(calls);
        expect(n.edges.length).toBe(edges.size);
        for (const edge of n.edges) {
          const shared = edges.get(`${edge.source}|${edge.target}`);
          expect(shared, `${edge.source}-${edge.target}`).toBeDefined();
          expect([...edge.callKeys].sort()).toEqual([...shared!].sort());
          expect(edge.calls).toBe(shared!.length);
          // The seed states no commitment: every shared call lacks it, and no money is summed.
          expect(edge.callsWithoutCommitment).toBe(shared!.length);
          expect(edge.commitments).toEqual([]);
        }
        const funderCalls = new Map<string, number>();
        for (const call of calls)
          for (const f of call.funders) funderCalls.set(f, (funderCalls.get(f) ?? 0) + 1);
        expect(
          Object.fromEntries(n.nodes.map((node: { key: string; calls: number }) => [node.key, node.calls])),
        ).toEqual(Object.fromEntries(funderCalls));
        const links = calls.reduce((sum, call) => sum + call.funders.length, 0);
        expect(n.commitmentsStated).toBe(0);
        expect(n.commitmentsMissing).toBe(links);
        // Coverage names each call whose funders' commitments are missing.
        const commitmentGaps = n.coverage.missing.filter((m: { what: string }) => m.what === "COMMITMENTS");
        expect(commitmentGaps.map((m: { subjectId: string }) => m.subjectId).sort()).toEqual(
          calls
            .filter((call) => call.funders.length)
            .map((call) => call.id)
            .sort(),
        );
      });
    }

    it("a call whose sources state more funding organisations than recorded is a FUNDERS gap", async () => {
      const { coFundingNetwork: n } = await query(coFunding, { ec: true });
      const stated = new Map<string, number>();
      for (const fact of all("statedFacts").filter((f) => f.attribute === "fundingOrganisationCount"))
        for (const subject of fact.subject as string[])
          if (typeof fact.value === "number")
            stated.set(subject, Math.max(stated.get(subject) ?? 0, fact.value));
      const calls = seedCalls(true);
      const expected = calls
        .filter((call) => stated.has(call.id) && call.funders.length < stated.get(call.id)!)
        .map((call) => ({
          what: "FUNDERS",
          subjectId: call.id,
          stated: stated.get(call.id),
          recorded: call.funders.length,
        }));
      expect(expected.length).toBeGreaterThan(0);
      expect(n.coverage.missing.filter((m: { what: string }) => m.what === "FUNDERS")).toEqual(
        expect.arrayContaining(expected),
      );
      expect(n.coverage.statement).toContain("funding organisations");
    });

    it("bad arguments are BAD_USER_INPUT naming them", async () => {
      for (const [variables, argument] of [
        [{ minCalls: 0 }, "minCalls"],
        [{ fromYear: 2022, toYear: 2020 }, "fromYear"],
      ] as const) {
        const response = await postGraphQL(atlas.http.url, coFunding, variables);
        expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
        expect(response.errors?.[0]?.extensions?.argumentName).toBe(argument);
      }
    });
  });
});
