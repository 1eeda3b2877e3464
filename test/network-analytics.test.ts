import { execFile, execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
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
/** Debian's Python with python3-networkx (and, where installed, python3-igraph and python3-leidenalg). */
const PYTHON = process.env.ATLAS_PYTHON ?? "/usr/bin/python3";
const LEIDEN_CHECK = path.join(import.meta.dirname, "helpers", "leiden_check.py");
/** Whether Debian's python3-igraph and python3-leidenalg are installed: the comparison with leidenalg is an extra. */
const HAS_LEIDENALG = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import igraph, leidenalg"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

interface LeidenCheck {
  value: number;
  connected: boolean;
  communities: number;
  leidenalgBest: number | null;
}
/** Runs test/helpers/leiden_check.py on a network and a membership. */
function checkWithPython(job: Record<string, unknown>): Promise<LeidenCheck> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [LEIDEN_CHECK], { timeout: 240_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as LeidenCheck),
    );
    child.stdin!.end(JSON.stringify(job));
  });
}
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
    // The networkx checks run everywhere: a missing networkx fails here, it is never a skip.
    try {
      execFileSync(PYTHON, ["-c", "import networkx"], { stdio: "ignore" });
    } catch {
      throw new Error(`${PYTHON} lacks networkx: apt-get install -y python3-networkx`);
    }
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    // A busy shared machine (several test runs at once) can take longer than the 15 s default.
    const config = testConfig();
    atlas = await startAtlas(
      { ...config, limits: { ...config.limits, queryTimeoutMs: 120_000 } },
      createLogger("silent"),
    );
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
  describe("networkCommunities (Leiden)", () => {
    const network = `query N($level: NetworkLevel!, $minWeight: Float) {
      collaborationNetwork(level: $level, minWeight: $minWeight, limit: 5000) { nodes { key } edges { source target weight } totalEdges }
    }`;
    const communities = `query L($level: NetworkLevel!, $minWeight: Float, $quality: CommunityQuality, $resolution: Float, $seed: Int, $runs: Int) {
      networkCommunities(level: $level, minWeight: $minWeight, quality: $quality, resolution: $resolution, seed: $seed, stabilityRuns: $runs) {
        quality resolution seed value
        communities { index size members internalWeight totalWeight }
        membership { key community }
        stability { runs meanAgreement minAgreement identicalRuns minValue maxValue }
        sourceCount coverage { projects }
      }
    }`;

    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
    type Answers = { n: any; c: any };
    /** Each case's network and communities, asked once and shared by its two tests. */
    const answers = new Map<string, Promise<Answers>>();
    const answersOf = (level: string, quality: string, resolution: number, minWeight: number) => {
      const key = JSON.stringify([level, quality, resolution, minWeight]);
      let found = answers.get(key);
      if (!found) {
        found = (async () => {
          const { collaborationNetwork: n } = await query(network, { level, minWeight });
          const { networkCommunities: c } = await query(communities, {
            level,
            minWeight,
            quality,
            resolution,
            runs: 5,
          });
          return { n, c };
        })();
        answers.set(key, found);
      }
      return found;
    };
    const jobOf = ({ n, c }: Answers, quality: string, resolution: number, compareLeidenalg: boolean) => ({
      edges: n.edges.map((e: { source: string; target: string; weight: number }) => [
        e.source,
        e.target,
        e.weight,
      ]),
      membership: Object.fromEntries(
        c.membership.map((m: { key: string; community: number }) => [m.key, m.community]),
      ),
      resolution,
      quality,
      seeds: 10,
      compareLeidenalg,
    });

    for (const [level, quality, resolution, minWeight] of [
      ["COUNTRY", "MODULARITY", 1, 1],
      ["COUNTRY", "MODULARITY", 0.5, 1],
      // Organisations sharing 3 projects: a whole network that collaborationNetwork lists uncut (<= 5,000 edges).
      ["ORGANISATION", "MODULARITY", 1, 3],
      ["ORGANISATION", "CPM", 0.05, 3],
    ] as const) {
      // Runs wherever the suite runs (Debian's python3-networkx, which CI installs): never skipped.
      it(`${level} (minWeight ${minWeight}), ${quality} at resolution ${resolution}: the value is networkx's for that partition, and every community is connected (networkx)`, async () => {
        const answer = await answersOf(level, quality, resolution, minWeight);
        const { n, c } = answer;
        expect(n.totalEdges).toBe(n.edges.length); // the whole network, not a cut
        expect(n.edges.length).toBeGreaterThan(0);
        expect(c.membership.map((m: { key: string }) => m.key).sort()).toEqual(
          n.nodes.map((node: { key: string }) => node.key).sort(),
        );
        const check = await checkWithPython(jobOf(answer, quality, resolution, false));
        // MODULARITY: networkx.community.modularity(G, partition, weight, resolution=gamma); CPM: from
        // networkx's induced subgraphs (test/helpers/leiden_check.py).
        expect(c.value).toBeCloseTo(check.value, 9);
        expect(check.connected).toBe(true);
        expect(c.communities.length).toBe(check.communities);
        // Not a trivial partition at the default resolution: more than one community, fewer than the
        // nodes (at 0.5 the seed's country network is one community, which must then be connected).
        if (resolution === 1) expect(c.communities.length).toBeGreaterThan(1);
        expect(c.communities.length).toBeLessThan(c.membership.length);
        // The communities list and the membership say the same, sizes add up, largest first.
        expect(c.communities.reduce((sum: number, x: { size: number }) => sum + x.size, 0)).toBe(
          c.membership.length,
        );
        const sizes = c.communities.map((x: { size: number }) => x.size);
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
        for (const x of c.communities)
          for (const key of x.members)
            expect(c.membership.find((m: { key: string }) => m.key === key).community).toBe(x.index);
        expect(c.stability.runs).toBe(5);
        expect(c.stability.minValue).toBeLessThanOrEqual(c.value);
        expect(c.stability.maxValue).toBeGreaterThanOrEqual(c.value);
        expect(c.stability.minAgreement).toBeLessThanOrEqual(c.stability.meanAgreement);
        // A seed gives one answer.
        const again = await query(communities, { level, minWeight, quality, resolution, runs: 5 });
        expect(again.networkCommunities.membership).toEqual(c.membership);
      });

      // An extra where Debian's python3-igraph and python3-leidenalg are installed (CI has neither).
      it.skipIf(!HAS_LEIDENALG)(
        `${level} (minWeight ${minWeight}), ${quality} at resolution ${resolution}: as good as leidenalg's best of 10 seeds (python3-leidenalg)`,
        async () => {
          const answer = await answersOf(level, quality, resolution, minWeight);
          const check = await checkWithPython(jobOf(answer, quality, resolution, true));
          expect(check.leidenalgBest).not.toBeNull();
          // The port finds a partition at least 99% as good.
          expect(answer.c.value).toBeGreaterThanOrEqual(
            check.leidenalgBest! - 0.01 * Math.abs(check.leidenalgBest!),
          );
        },
      );
    }

    it("bad arguments are BAD_USER_INPUT naming them", async () => {
      for (const [variables, argument] of [
        [{ level: "COUNTRY", resolution: -1 }, "resolution"],
        [{ level: "COUNTRY", runs: 0 }, "stabilityRuns"],
        [{ level: "COUNTRY", runs: 51 }, "stabilityRuns"],
      ] as const) {
        const response = await postGraphQL(atlas.http.url, communities, variables);
        expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
        expect(response.errors?.[0]?.extensions?.argumentName).toBe(argument);
      }
    });
  });

  describe("networkSeries (year windows)", () => {
    const perYear = `query Y($level: NetworkLevel!, $fromYear: Int, $toYear: Int, $minWeight: Float) {
      collaborationNetwork(level: $level, fromYear: $fromYear, toYear: $toYear, minWeight: $minWeight, limit: 5000) {
        nodes { key } edges { source target weight } totalEdges
      }
    }`;
    const series = `query S($level: NetworkLevel!, $fromYear: Int!, $toYear: Int!, $windowYears: Int, $limit: Int, $minWeight: Float) {
      networkSeries(level: $level, fromYear: $fromYear, toYear: $toYear, windowYears: $windowYears, limit: $limit, minWeight: $minWeight) {
        windows { fromYear toYear nodeKeys edges { source target weight } totalEdges joined left edgesJoined edgesLeft sourceCount }
        coverage { fromYear toYear }
      }
    }`;

    for (const [level, fromYear, toYear, windowYears, minWeight] of [
      ["COUNTRY", 2019, 2025, 1, 1],
      ["COUNTRY", 2018, 2025, 3, 1],
      // minWeight 2: each window's whole network is within what collaborationNetwork lists uncut.
      ["ORGANISATION", 2021, 2025, 2, 2],
    ] as const) {
      it(`${level} ${fromYear}-${toYear} by ${windowYears} year(s): each window is that window's network, joined and left are set differences`, async () => {
        const { networkSeries: s } = await query(series, {
          level,
          fromYear,
          toYear,
          windowYears,
          minWeight,
          limit: 10,
        });
        const expectedWindows: [number, number][] = [];
        for (let from = fromYear; from <= toYear; from += windowYears)
          expectedWindows.push([from, Math.min(from + windowYears - 1, toYear)]);
        expect(s.windows.map((w: { fromYear: number; toYear: number }) => [w.fromYear, w.toYear])).toEqual(
          expectedWindows,
        );
        let before: Set<string> | null = null;
        let pairsBefore: Set<string> | null = null;
        for (const w of s.windows) {
          const { collaborationNetwork: n } = await query(perYear, {
            level,
            fromYear: w.fromYear,
            toYear: w.toYear,
            minWeight,
          });
          expect(n.totalEdges).toBe(n.edges.length); // the whole network, not a cut
          const nodes = new Set<string>(n.nodes.map((node: { key: string }) => node.key));
          const pairs = new Set<string>(
            n.edges.map((e: { source: string; target: string }) => `${e.source}|${e.target}`),
          );
          expect(w.nodeKeys).toEqual([...nodes].sort());
          expect(w.totalEdges).toBe(n.totalEdges);
          expect(w.edges).toEqual(n.edges.slice(0, 10));
          const previous = before ?? nodes;
          const previousPairs = pairsBefore ?? pairs;
          expect(w.joined).toEqual([...nodes].filter((k) => !previous.has(k)).sort());
          expect(w.left).toEqual([...previous].filter((k) => !nodes.has(k)).sort());
          expect(w.edgesJoined).toBe([...pairs].filter((p) => !previousPairs.has(p)).length);
          expect(w.edgesLeft).toBe([...previousPairs].filter((p) => !pairs.has(p)).length);
          before = nodes;
          pairsBefore = pairs;
        }
        // Something happens in the series: not every window is the same network.
        expect(
          s.windows.some((w: { joined: string[]; left: string[] }) => w.joined.length + w.left.length > 0),
        ).toBe(true);
      });
    }

    it("bad windows are BAD_USER_INPUT naming the argument", async () => {
      for (const [variables, argument] of [
        [{ level: "COUNTRY", fromYear: 2025, toYear: 2020 }, "fromYear"],
        [{ level: "COUNTRY", fromYear: 2020, toYear: 2025, windowYears: 0 }, "windowYears"],
        [{ level: "COUNTRY", fromYear: 2020, toYear: 2025, limit: 0 }, "limit"],
      ] as const) {
        const response = await postGraphQL(atlas.http.url, series, variables);
        expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
        expect(response.errors?.[0]?.extensions?.argumentName).toBe(argument);
      }
    });
  });
  describe("portfolioSimilarity", () => {
    const similarity = `query P($level: PortfolioLevel!, $id: ID!, $filters: AnalysisFilters, $byTier: Boolean, $limit: Int, $cap: Int) {
      portfolioSimilarity(level: $level, id: $id, filters: $filters, byTier: $byTier, limit: $limit, projectCap: $cap) {
        key projects topics compared sourceCount
        mostSimilar { key similarity projects sharedTopics { key projects otherProjects projectIds otherProjectIds } }
        leastSimilar { key similarity }
        coverage { projects }
      }
    }`;

    /**
     * Vectors read by a plain Cypher query of the test's own (a second method): entity -> dimension ->
     * project ids. COUNTRY: projects with a participant located in the country; FUNDER: projects funded
     * under a programme (or a call of it) the funder, as its body, funds.
     */
    async function vectors(
      level: "COUNTRY" | "FUNDER",
      byTier: boolean,
      scheme: string,
    ): Promise<Map<string, Map<string, Set<string>>>> {
      const match =
        level === "COUNTRY"
          ? "MATCH (e:Country)<-[:LOCATED_IN]-(:Organisation)-[:PARTICIPATES_IN]->(p:Project)"
          : `MATCH (p:Project)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(:Programme)-[:FUNDED_BY]->(n:Funder)
             WITH p, coalesce(head([(n)-[:SAME_AS*1..3]->(b:Funder) WHERE NOT (b)-[:SAME_AS]->(:Funder) | b]), n) AS e`;
      const session = driver.session({ database: TEST_DATABASE });
      try {
        const result = await session.run(
          `${match} MATCH (p)-[:ADDRESSES]->(t:Topic {scheme: $scheme})
           RETURN DISTINCT e.id AS e, t.id AS t, p.id AS p, p.pmRelevance AS tier`,
          { scheme },
        );
        const out = new Map<string, Map<string, Set<string>>>();
        for (const record of result.records) {
          const key = byTier
            ? `${record.get("t")}|${record.get("tier") ?? "NONE"}`
            : (record.get("t") as string);
          const entity = out.get(record.get("e")) ?? new Map<string, Set<string>>();
          entity.set(key, (entity.get(key) ?? new Set()).add(record.get("p")));
          out.set(record.get("e"), entity);
        }
        return out;
      } finally {
        await session.close();
      }
    }
    const cosine = (a: Map<string, Set<string>>, b: Map<string, Set<string>>) => {
      let dot = 0;
      for (const [k, v] of a) dot += v.size * (b.get(k)?.size ?? 0);
      const norm = (x: Map<string, Set<string>>) =>
        Math.sqrt([...x.values()].reduce((s, v) => s + v.size ** 2, 0));
      return dot / (norm(a) * norm(b));
    };

    // FUNDER on the curated PM areas (ATLAS): the national funders' projects (ERA PerMed) have no legal basis.
    for (const [level, byTier, scheme] of [
      ["COUNTRY", false, "LEGAL_BASIS"],
      ["COUNTRY", true, "LEGAL_BASIS"],
      ["FUNDER", false, "ATLAS"],
    ] as const) {
      it(`${level}${byTier ? " by topic and tier" : ""} (${scheme}): every similarity is the cosine of the vectors read by a second query`, async () => {
        const all = await vectors(level, byTier, scheme);
        // The entity with most projects in the scheme.
        const [id] = [...all].sort(
          ([, a], [, b]) =>
            new Set([...b.values()].flatMap((s) => [...s])).size -
            new Set([...a.values()].flatMap((s) => [...s])).size,
        )[0]!;
        const mine = all.get(id)!;
        const expected = [...all]
          .filter(([key]) => key !== id)
          .map(([key, v]) => ({ key, similarity: cosine(mine, v) }));
        expect(all.size).toBeGreaterThan(1);
        const { portfolioSimilarity: s } = await query(similarity, {
          level,
          id,
          byTier,
          filters: { topicScheme: scheme },
          limit: 100,
          cap: 3,
        });
        expect(s.key).toBe(id);
        expect(s.compared).toBe(expected.length);
        expect(s.topics).toBe(mine.size);
        expect(s.projects).toBe(new Set([...mine.values()].flatMap((set) => [...set])).size);
        const byKey = new Map(expected.map((e) => [e.key, e.similarity]));
        expect(s.mostSimilar.length).toBe(Math.min(100, expected.length));
        for (const item of s.mostSimilar) {
          expect(item.similarity, item.key).toBeCloseTo(byKey.get(item.key)!, 12);
          const theirs = all.get(item.key)!;
          expect(item.sharedTopics.map((t: { key: string }) => t.key).sort()).toEqual(
            [...mine.keys()].filter((k) => theirs.has(k)).sort(),
          );
          for (const topic of item.sharedTopics) {
            expect(topic.projects).toBe(mine.get(topic.key)!.size);
            expect(topic.otherProjects).toBe(theirs.get(topic.key)!.size);
            expect(topic.projectIds).toEqual([...mine.get(topic.key)!].sort().slice(0, 3));
            expect(topic.otherProjectIds).toEqual([...theirs.get(topic.key)!].sort().slice(0, 3));
          }
        }
        const descending = s.mostSimilar.map((x: { similarity: number }) => x.similarity);
        expect(descending).toEqual([...descending].sort((a, b) => b - a));
        expect(s.leastSimilar[0].similarity).toBeCloseTo(Math.min(...expected.map((e) => e.similarity)), 12);
        // With every entity shown (limit 100), the sources are those of every project in the scheme's vectors.
        const shownProjects = [...all.values()].flatMap((entity) =>
          [...entity.values()].flatMap((set) => [...set]),
        );
        const session = driver.session({ database: TEST_DATABASE });
        try {
          const sources = await session.run(
            "MATCH (p:Project)-[:SOURCED_FROM]->(source:Source) WHERE p.id IN $ids RETURN count(DISTINCT source) AS n",
            { ids: [...new Set(shownProjects)] },
          );
          expect(s.sourceCount).toBe(sources.records[0]!.get("n").toNumber());
        } finally {
          await session.close();
        }
      });
    }

    it("an unknown id and bad caps are BAD_USER_INPUT naming the argument", async () => {
      for (const [variables, argument] of [
        [{ level: "COUNTRY", id: "country:XX" }, "id"],
        [{ level: "COUNTRY", id: "country:DE", limit: 0 }, "limit"],
        [{ level: "COUNTRY", id: "country:DE", cap: 101 }, "projectCap"],
        [{ level: "COUNTRY", id: "country:DE", filters: { topicScheme: "NOPE" } }, "filters.topicScheme"],
      ] as const) {
        const response = await postGraphQL(atlas.http.url, similarity, variables);
        expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
        expect(response.errors?.[0]?.extensions?.argumentName).toBe(argument);
      }
    });
  });
});
