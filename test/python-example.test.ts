import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { projectRoot } from "../src/util/project-root.js";
import { writeWebFixture } from "./e2e/web-fixture.js";
import { clearDatabase, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

const run = promisify(execFile);
/**
 * Debian's Python, where apt-get puts python3-pandas and python3-networkx (`.ci/run` installs them): the
 * interpreter the README names, and no other.
 */
const PYTHON = "/usr/bin/python3";
const EXAMPLES = path.join(projectRoot(), "examples", "python");
const SCRIPT = path.join(EXAMPLES, "atlas_workbench.py");

/**
 * The README's Python example (examples/python/atlas_workbench.py) against a live server on the
 * dashboard's fixture (test/e2e/web-fixture.ts), whose figures are worked out by hand there:
 * the country x topic matrix is 4 countries x 3 topics, its cells sum to DE 730,000 + FR 300,000 +
 * ES 800,000 + PT 500,000 = 2,330,000 EUR; the country network has 3 nodes and 3 edges, DE-FR the
 * heaviest (2 shared projects).
 */
describe("issue 20: the Python example reads a matrix into pandas and a network into networkx", () => {
  let driver: Driver;
  let atlas: RunningAtlas;

  beforeAll(async () => {
    if (!existsSync(PYTHON)) throw new Error(`no Python at ${PYTHON}: apt-get install -y python3`);
    const probe = await run(PYTHON, ["-c", "import pandas, networkx"]).catch((error: Error) => error);
    if (probe instanceof Error) {
      throw new Error(
        `${PYTHON} lacks pandas or networkx: apt-get install -y python3-pandas python3-networkx (${probe.message})`,
      );
    }
    driver = testDriver();
    await clearDatabase(driver);
    await writeWebFixture(driver);
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  });

  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  it("prints the matrix and the network as the API and the fixture have them", async () => {
    const { stdout } = await run(PYTHON, [SCRIPT, atlas.http.url], { timeout: 120_000 });
    const lines = stdout.trim().split("\n");
    const summary = JSON.parse(lines.at(-1)!) as {
      rows: number;
      columns: number;
      total: string;
      sumOfCells: string;
      sumOfCellsNote: string;
      nodes: number;
      edges: number;
      heaviest: { source: string; target: string; weight: number };
    };
    expect(summary).toMatchObject({ rows: 4, columns: 3, nodes: 3, edges: 3 });
    // The total is every EU contribution of the fixture once, by hand: 100,000 + 200,000 + 300,000 +
    // 400,000 + 50,000 + 500,000 + 10,000 + 20,000. The cells count P2 (750,000) under topics A and B
    // both: 2,330,000, which the example once printed as its "total"; it now says that it is none.
    expect(Number(summary.total)).toBe(1_580_000);
    expect(Number(summary.sumOfCells)).toBe(2_330_000);
    expect(summary.sumOfCellsNote).toMatch(/^not a total/);
    expect([summary.heaviest.source, summary.heaviest.target].sort()).toEqual(["country:DE", "country:FR"]);
    expect(summary.heaviest.weight).toBe(2);
    // The table printed has a row per country, with the topic ids as columns.
    expect(stdout).toContain("country:PT");
    expect(stdout).toContain("topic:legal-basis:E2E.A");
  });

  it("the GEXF the server wrote, read by Debian's networkx 2.8, has the API's nodes, edges and weights", async () => {
    // The example's own reading code (network(): GET /export/network.gexf, networkx.read_gexf).
    const script = `
import json, sys
sys.path.insert(0, sys.argv[1])
import networkx, atlas_workbench
graph = atlas_workbench.network(sys.argv[2])
print(json.dumps({
    "networkx": networkx.__version__,
    "nodes": sorted(graph.nodes()),
    "edges": sorted([*sorted([s, t]), d["weight"], d["projects"], d["amountEur"]] for s, t, d in graph.edges(data=True)),
}))`;
    const { stdout } = await run(PYTHON, ["-c", script, EXAMPLES, atlas.http.url], { timeout: 120_000 });
    const read = JSON.parse(stdout) as {
      networkx: string;
      nodes: string[];
      edges: [string, string, number, number, number][];
    };
    expect(read.networkx).toMatch(/^2\.8/);
    const api = expectData(
      await postGraphQL<{
        collaborationNetwork: {
          totalEdges: number;
          nodes: { key: string }[];
          edges: { source: string; target: string; weight: number; projects: number; amountEur: number }[];
        };
      }>(
        atlas.http.url,
        "{ collaborationNetwork(level: COUNTRY, limit: 5000) { totalEdges nodes { key } edges { source target weight projects amountEur } } }",
      ),
    ).collaborationNetwork;
    expect(api.edges).toHaveLength(api.totalEdges);
    expect(read.nodes).toEqual(api.nodes.map((node) => node.key).sort());
    expect(read.edges).toEqual(
      api.edges
        .map((e) => [...[e.source, e.target].sort(), e.weight, e.projects, e.amountEur])
        .sort((a, b) => String(a).localeCompare(String(b))),
    );
    // By hand from the fixture (web-fixture.ts): DE-FR share P1 and P2 (o1 100,000 + o3 200,000, then
    // o2 300,000 + o3 50,000 EUR), DE-ES and ES-FR share P2 (o2 300,000 + o4 400,000; o4 400,000 + o3
    // 50,000); PT shares nothing.
    expect(read.edges).toEqual([
      ["country:DE", "country:ES", 1, 1, 700_000],
      ["country:DE", "country:FR", 2, 2, 650_000],
      ["country:ES", "country:FR", 1, 1, 450_000],
    ]);
  });
});
