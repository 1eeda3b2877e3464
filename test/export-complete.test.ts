import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { ERROR_CODES } from "../src/util/error-codes.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/*
 * Network files that every tool reads whole, or that say they are not. The graph: the real seed (curated
 * data and the seed's CORDIS files, through the seed loader). The expected counts come from the API's
 * GraphQL answers for the same filters (`collaborationNetwork` asked for every edge, `networkMetrics` for
 * every node); the files are read by Debian's networkx 2.8 and pandas (/usr/bin/python3), as an analyst
 * reads them, never by this project's code.
 */

const log = createLogger("silent");
const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const READER = path.join(projectRoot(), "test", "helpers", "read-network.py");
const SPELLS_READER = path.join(projectRoot(), "test", "helpers", "read-gexf-spells.py");
/**
 * Loading the whole seed took 250 s of the default 300 s on a busy 2-core machine: the hook gets three
 * times that, so a slow machine shows as slow rather than as a failure.
 */
const SEED_HOOK_TIMEOUT_MS = 900_000;
/** The display default of the GraphQL answer, which the bare file once had too. */
const OLD_DEFAULT_LIMIT = 500;

interface ReadNetwork {
  networkx: string;
  nodes: string[];
  edges: [string, string, number][];
  graph?: Record<string, string | number>;
  columns?: string[];
  cut?: string[];
}

interface ApiNetwork {
  nodes: { key: string }[];
  edges: { source: string; target: string; weight: number }[];
  totalEdges: number;
}

const pairKey = (a: string, b: string) => [a, b].sort().join(" ");

interface ReadSpells {
  networkx: string;
  graph: { mode?: string; start?: string; end?: string };
  nodes: Record<string, [number, number][]>;
  edges: [string, string, number, [number, number][]][];
}

/** Years as the closed intervals of consecutive years GEXF spells hold, worked out here: [2019, 2020, 2022] -> [[2019, 2020], [2022, 2022]]. */
function runsOf(years: number[]): [number, number][] {
  const sorted = [...years].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const year of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === year - 1) last[1] = year;
    else runs.push([year, year]);
  }
  return runs;
}
const weights = (edges: [string, string, number][]) =>
  new Map(edges.map(([s, t, w]) => [pairKey(s, t), w] as const));

describe("network files: whole by default, and a cut file says so", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let dir: string;
  /** The whole country network as the API answers it: every edge, and every node's metrics. */
  let whole: ApiNetwork;
  let wholeNodeCount: number;

  /** The file the server wrote, read by networkx/pandas; with its response headers. */
  async function download(file: string, query = "") {
    const response = await fetch(`${atlas.http.url}/export/${file}${query ? `?${query}` : ""}`);
    expect(response.status, await response.clone().text()).toBe(200);
    const text = await response.text();
    const target = path.join(dir, `${Math.random().toString(36).slice(2)}-${file}`);
    writeFileSync(target, text);
    const { stdout } = await run(PYTHON, [READER, file.split(".").pop()!, target], { timeout: 120_000 });
    return {
      text,
      read: JSON.parse(stdout) as ReadNetwork,
      truncated: response.headers.get("x-atlas-truncated"),
    };
  }

  async function apiNetwork(limit: number): Promise<ApiNetwork> {
    return expectData(
      await postGraphQL<{ collaborationNetwork: ApiNetwork }>(
        atlas.http.url,
        `query ($limit: Int) { collaborationNetwork(level: COUNTRY, limit: $limit) {
           totalEdges nodes { key } edges { source target weight } } }`,
        { limit },
      ),
    ).collaborationNetwork;
  }

  beforeAll(async () => {
    const probe = await run(PYTHON, ["-c", "import pandas, networkx"]).catch((error: Error) => error);
    if (probe instanceof Error)
      throw new Error(
        `${PYTHON} lacks pandas or networkx: apt-get install -y python3-pandas python3-networkx`,
      );
    dir = mkdtempSync(path.join(tmpdir(), "atlas-export-"));
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    atlas = await startAtlas(testConfig(), log);
    whole = await apiNetwork(5000);
    wholeNodeCount = expectData(
      await postGraphQL<{ networkMetrics: { key: string }[] }>(
        atlas.http.url,
        "{ networkMetrics(level: COUNTRY) { key } }",
      ),
    ).networkMetrics.length;
  }, SEED_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the seed's country network is larger than the old default cut (else nothing below is tested)", () => {
    // Every edge came back: the API's network is whole, and its nodes are every node with metrics.
    expect(whole.edges.length).toBe(whole.totalEdges);
    expect(whole.nodes.length).toBe(wholeNodeCount);
    expect(whole.totalEdges).toBeGreaterThan(OLD_DEFAULT_LIMIT);
  });

  it.each(["network.graphml", "network.gexf", "network.csv"])(
    "the bare %s holds the API's whole network: its nodes, its edges and their weights",
    async (file) => {
      const { read, truncated } = await download(file);
      expect(truncated).toBe("false");
      expect(read.edges).toHaveLength(whole.totalEdges);
      expect(weights(read.edges)).toEqual(
        new Map(whole.edges.map((e) => [pairKey(e.source, e.target), e.weight] as const)),
      );
      expect(read.nodes).toHaveLength(wholeNodeCount);
      expect(read.nodes).toEqual(whole.nodes.map((node) => node.key).sort());
      // Nothing in the file claims a cut.
      if (read.graph) expect(read.graph.cut).toBeUndefined();
      if (read.cut) expect(read.cut).toEqual([]);
    },
  );

  it("the old default (limit=500) is cut, and the GraphML says so: counts of the file and of the whole, and the parameter", async () => {
    const cut = await apiNetwork(OLD_DEFAULT_LIMIT);
    const { text, read, truncated } = await download("network.graphml", `limit=${OLD_DEFAULT_LIMIT}`);
    console.log(
      `country network of the seed: the API has ${wholeNodeCount} nodes and ${whole.totalEdges} edges; limit=${OLD_DEFAULT_LIMIT} keeps ${cut.nodes.length} nodes and ${cut.edges.length} edges`,
    );
    expect(read.edges).toHaveLength(OLD_DEFAULT_LIMIT);
    expect(read.nodes).toHaveLength(cut.nodes.length);
    expect(cut.nodes.length).toBeLessThan(wholeNodeCount);
    const said = `the heaviest ${OLD_DEFAULT_LIMIT} of ${whole.totalEdges} edges and the ${cut.nodes.length} of ${wholeNodeCount} nodes`;
    expect(read.graph!.cut).toContain(said);
    expect(read.graph).toMatchObject({
      edgesInFile: OLD_DEFAULT_LIMIT,
      edgesInNetwork: whole.totalEdges,
      nodesInFile: cut.nodes.length,
      nodesInNetwork: wholeNodeCount,
    });
    expect(text).toMatch(new RegExp(`<!-- CUT: this file holds ${said}`));
    expect(truncated).toBe(
      `true; edges=${OLD_DEFAULT_LIMIT}/${whole.totalEdges}; nodes=${cut.nodes.length}/${wholeNodeCount}`,
    );
    // The note's own advice gives the whole network.
    const asked = /ask with (limit=\d+)/.exec(String(read.graph!.cut))![1]!;
    const again = await download("network.graphml", asked);
    expect(again.truncated).toBe("false");
    expect(again.read.edges).toHaveLength(whole.totalEdges);
  });

  it("a cut GEXF says so in a comment and in its meta description; a cut CSV in a column pandas reads on every row", async () => {
    const limit = 100;
    const cut = await apiNetwork(limit);
    const said = `the heaviest ${limit} of ${whole.totalEdges} edges and the ${cut.nodes.length} of ${wholeNodeCount} nodes`;
    const gexf = await download("network.gexf", `limit=${limit}`);
    expect(gexf.read.edges).toHaveLength(limit);
    expect(gexf.read.nodes).toHaveLength(cut.nodes.length);
    expect(gexf.text).toMatch(new RegExp(`<!-- CUT: this file holds ${said}`));
    expect(gexf.text).toMatch(new RegExp(`<description>CUT: this file holds ${said}`));
    expect(gexf.truncated).toMatch(/^true; /);
    const csv = await download("network.csv", `limit=${limit}`);
    expect(csv.read.edges).toHaveLength(limit);
    expect(csv.read.columns).toEqual(["Source", "Target", "Type", "Weight", "projects", "amountEur", "cut"]);
    expect(csv.read.cut).toHaveLength(1);
    expect(csv.read.cut![0]).toContain(said);
    expect(
      csv.text
        .trim()
        .split("\n")
        .slice(1)
        .every((line) => line.includes("CUT: this file holds")),
    ).toBe(true);
    expect(csv.truncated).toBe(gexf.truncated);
  });

  it.each(["CSV", "GRAPHML", "GEXF"])(
    "the GraphQL export and the route have one default limit: by default both give the same whole %s",
    async (format) => {
      const data = expectData(
        await postGraphQL<{ export: string }>(
          atlas.http.url,
          `{ export(format: ${format}, level: COUNTRY) }`,
        ),
      );
      const extension = format.toLowerCase();
      const { text, read, truncated } = await download(`network.${extension}`);
      // The same file, byte for byte, and it is the whole network (read by networkx or pandas).
      expect(data.export).toBe(text);
      expect(truncated).toBe("false");
      expect(read.edges).toHaveLength(whole.totalEdges);
      expect(read.nodes).toHaveLength(wholeNodeCount);
      // An explicit limit is still honoured by both, and the same.
      const limited = expectData(
        await postGraphQL<{ export: string }>(
          atlas.http.url,
          `{ export(format: ${format}, level: COUNTRY, limit: ${OLD_DEFAULT_LIMIT}) }`,
        ),
      );
      expect(limited.export).toBe(
        (await download(`network.${extension}`, `limit=${OLD_DEFAULT_LIMIT}`)).text,
      );
    },
  );

  it("the schema states no default for export's limit (the code's one default applies) and its description says 5,000", async () => {
    const data = expectData(
      await postGraphQL<{
        __type: {
          fields: {
            name: string;
            args: { name: string; defaultValue: string | null; description: string }[];
          }[];
        };
      }>(
        atlas.http.url,
        '{ __type(name: "Query") { fields { name args { name defaultValue description } } } }',
      ),
    );
    const limit = data.__type.fields
      .find((field) => field.name === "export")!
      .args.find((arg) => arg.name === "limit")!;
    expect(limit.defaultValue).toBeNull();
    expect(limit.description).toContain("5,000");
  });

  it("GEXF is 1.2 by default, which networkx 2.8 reads; 1.3 on request, which it cannot (why 1.2 is the default)", async () => {
    const plain = await download("network.gexf");
    expect(plain.text).toContain('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">');
    expect(plain.read.networkx).toMatch(/^2\.8/);
    const response = await fetch(`${atlas.http.url}/export/network.gexf?version=1.3`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('<gexf xmlns="http://gexf.net/1.3" version="1.3">');
    // Apart from the namespace, the same file.
    expect(text.replace('xmlns="http://gexf.net/1.3" version="1.3"', "")).toBe(
      plain.text.replace('xmlns="http://www.gexf.net/1.2draft" version="1.2"', ""),
    );
    const target = path.join(dir, "v13.gexf");
    writeFileSync(target, text);
    const refused = await run(PYTHON, [READER, "gexf", target]).catch((error: { stderr: string }) => error);
    expect((refused as { stderr: string }).stderr).toContain("No <graph> element in GEXF file");
  });

  /**
   * The years of every node as networkSeries answers them (windows of one year, at most 40 a request,
   * so the range is asked in pieces), and of every pair as each year's collaborationNetwork lists it
   * whole (networkSeries lists at most a page of edges per window: its edge count is checked against it).
   */
  async function seriesYears(level: string, fromYear: number, toYear: number, minWeight: number) {
    const nodes = new Map<string, number[]>();
    const pairs = new Map<string, number[]>();
    for (let from = fromYear; from <= toYear; from += 40) {
      const { networkSeries } = expectData(
        await postGraphQL<{
          networkSeries: {
            windows: { fromYear: number; toYear: number; nodeKeys: string[]; totalEdges: number }[];
          };
        }>(
          atlas.http.url,
          `query S($level: NetworkLevel!, $from: Int!, $to: Int!, $minWeight: Float) {
             networkSeries(level: $level, fromYear: $from, toYear: $to, windowYears: 1, minWeight: $minWeight, limit: 1) {
               windows { fromYear toYear nodeKeys totalEdges } } }`,
          { level, from, to: Math.min(from + 39, toYear), minWeight },
        ),
      );
      for (const window of networkSeries.windows) {
        expect(window.fromYear).toBe(window.toYear);
        for (const key of window.nodeKeys) nodes.set(key, [...(nodes.get(key) ?? []), window.fromYear]);
        const { collaborationNetwork: year } = expectData(
          await postGraphQL<{ collaborationNetwork: ApiNetwork }>(
            atlas.http.url,
            `query Y($level: NetworkLevel!, $year: Int, $minWeight: Float) {
               collaborationNetwork(level: $level, fromYear: $year, toYear: $year, minWeight: $minWeight, limit: 5000) {
                 totalEdges nodes { key } edges { source target weight } } }`,
            { level, year: window.fromYear, minWeight },
          ),
        );
        expect(year.edges).toHaveLength(year.totalEdges); // the year's network whole
        expect(year.totalEdges).toBe(window.totalEdges);
        for (const e of year.edges) {
          const key = pairKey(e.source, e.target);
          pairs.set(key, [...(pairs.get(key) ?? []), window.fromYear]);
        }
      }
    }
    return { nodes, pairs };
  }

  async function readSpells(text: string): Promise<ReadSpells> {
    const target = path.join(dir, `${Math.random().toString(36).slice(2)}-dynamic.gexf`);
    writeFileSync(target, text);
    const { stdout } = await run(PYTHON, [SPELLS_READER, target], { timeout: 120_000 });
    return JSON.parse(stdout) as ReadSpells;
  }

  it.each([
    ["COUNTRY", 2019, 2025, 1],
    ["COUNTRY", null, null, 1],
    // minWeight 2: pairs whose two shared projects start in different years are in no single year.
    ["ORGANISATION", 2021, 2025, 2],
  ] as const)(
    "GEXF with spells=year (%s, %s-%s, minWeight %s): dynamic, and networkx reads each node's and edge's spells as the years networkSeries puts it in",
    async (level, fromYear, toYear, minWeight) => {
      const years = new URLSearchParams({ level, minWeight: String(minWeight) });
      if (fromYear !== null) years.set("fromYear", String(fromYear));
      if (toYear !== null) years.set("toYear", String(toYear));
      // The range without a year filter: the start years of the projects the network counts.
      const { collaborationNetwork: network } = expectData(
        await postGraphQL<{
          collaborationNetwork: ApiNetwork & {
            edges: { source: string; target: string; weight: number }[];
            coverage: { fromYear: number; toYear: number };
          };
        }>(
          atlas.http.url,
          `query N($level: NetworkLevel!, $from: Int, $to: Int, $minWeight: Float) {
             collaborationNetwork(level: $level, fromYear: $from, toYear: $to, minWeight: $minWeight, limit: 5000) {
               totalEdges nodes { key } edges { source target weight } coverage { fromYear toYear } } }`,
          { level, from: fromYear, to: toYear, minWeight },
        ),
      );
      expect(network.edges).toHaveLength(network.totalEdges);
      const from = fromYear ?? network.coverage.fromYear;
      const to = toYear ?? network.coverage.toYear;
      const expected = await seriesYears(level, from, to, minWeight);

      const { text } = await download("network.gexf", `${years}&spells=year`);
      expect(text).toContain(
        `<graph defaultedgetype="undirected" mode="dynamic" timeformat="integer" start="${from}" end="${to}">`,
      );
      const read = await readSpells(text);
      expect(read.networkx).toMatch(/^2\.8/);
      expect(read.graph).toEqual({ mode: "dynamic", start: String(from), end: String(to) });
      // The file: the whole network's nodes and edges that are present in some year, each with its years.
      const presentNodes = network.nodes.map((n) => n.key).filter((key) => expected.nodes.has(key));
      const presentEdges = network.edges.filter((e) => expected.pairs.has(pairKey(e.source, e.target)));
      expect(Object.keys(read.nodes).sort()).toEqual(presentNodes.sort());
      for (const key of presentNodes) expect(read.nodes[key], key).toEqual(runsOf(expected.nodes.get(key)!));
      expect(
        new Map(read.edges.map(([s, t, weight, spells]) => [pairKey(s, t), { weight, spells }] as const)),
      ).toEqual(
        new Map(
          presentEdges.map(
            (e) =>
              [
                pairKey(e.source, e.target),
                { weight: e.weight, spells: runsOf(expected.pairs.get(pairKey(e.source, e.target))!) },
              ] as const,
          ),
        ),
      );
      // Something moves on the timeline: not every node is present in every year.
      const span = to - from + 1;
      expect(presentNodes.some((key) => expected.nodes.get(key)!.length < span)).toBe(true);
      // What was left out is said, with its counts.
      const leftNodes = network.nodes.length - presentNodes.length;
      const leftEdges = network.edges.length - presentEdges.length;
      if (leftNodes || leftEdges)
        expect(text).toContain(
          `Left out, present in no single year: ${leftNodes} nodes and ${leftEdges} edges.`,
        );
      else expect(text).not.toContain("Left out");
      if (minWeight === 2) expect(leftEdges).toBeGreaterThan(0); // the case is really tested
    },
  );

  it("GEXF 1.3 with spells=year says timerepresentation; spells are refused on other formats and for other values", async () => {
    // networkx 2.8 reads no GEXF 1.3: the text is checked (test/unit/gexf-spells.test.ts checks its structure).
    const response = await fetch(
      `${atlas.http.url}/export/network.gexf?level=COUNTRY&fromYear=2021&toYear=2023&spells=year&version=1.3`,
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('<gexf xmlns="http://gexf.net/1.3" version="1.3">');
    expect(text).toContain(
      '<graph defaultedgetype="undirected" mode="dynamic" timeformat="integer" timerepresentation="interval" start="2021" end="2023">',
    );
    for (const [file, message] of [
      ["network.csv?spells=year", "spells: only network.gexf has spells (spells=year)"],
      ["network.graphml?spells=year", "spells: only network.gexf has spells (spells=year)"],
      ["network.gexf?spells=month", 'spells: must be year, got "month"'],
    ]) {
      const response = await fetch(`${atlas.http.url}/export/${file}`);
      expect(response.status, file).toBe(400);
      const body = (await response.json()) as {
        errors: { message: string; extensions: Record<string, unknown> }[];
      };
      expect(body.errors[0]!.message).toBe(message);
      expect(body.errors[0]!.extensions).toMatchObject({
        code: ERROR_CODES.BAD_USER_INPUT,
        argumentName: "spells",
      });
    }
  });

  it.each([
    ["network.gexf?version=1.1", 'version: must be 1.2 or 1.3, got "1.1"'],
    ["network.gexf?version=1.2&version=1.3", "version: must be given once"],
    ["network.graphml?version=1.2", "version: only network.gexf has versions (1.2 or 1.3)"],
    ["network.csv?version=1.3", "version: only network.gexf has versions (1.2 or 1.3)"],
  ])("%s is refused with 400 naming version", async (file, message) => {
    const response = await fetch(`${atlas.http.url}/export/${file}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0]!.message).toBe(message);
    expect(body.errors[0]!.extensions).toMatchObject({
      code: ERROR_CODES.BAD_USER_INPUT,
      argumentName: "version",
    });
  });
});
