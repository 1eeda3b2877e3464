import { execFileSync } from "node:child_process";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { HORIZON_DIR } from "./helpers/cordis-copy.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");

/**
 * Parses XML with a real parser (Python's xml.etree, expat: it stops at the first character XML 1.0
 * does not allow) and returns the node labels it read: GraphML's label data, GEXF's label attribute.
 */
function parseXml(text: string): string[] {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
labels = [e.attrib["label"] for e in root.iter() if e.tag.endswith("}node") and "label" in e.attrib]
labels += [e.text or "" for e in root.iter() if e.tag.endswith("}data") and e.attrib.get("key") == "node_label"]
print(json.dumps(labels))
`;
  return JSON.parse(execFileSync("python3", ["-c", script], { input: text, encoding: "utf8" })) as string[];
}

describe("issue 16.4 and 16.7: network exports are well-formed XML, served as XML, whatever the names hold", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  // What a store written before names were cleaned at import may hold: a backspace, an ANSI colour
  // sequence, a NUL, a vertical tab, and the characters XML escapes.
  const dirt = "\b\u001b[31m\u0000\u000b <&\"'>";

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    const countries = readCountryReference(`${defaultSeedDir()}/reference`);
    await runCordisImport(
      driver,
      TEST_DATABASE,
      HORIZON_DIR,
      { countries, dryRun: false, strict: false },
      log,
    );
    await driver.executeQuery(
      "MATCH (o:Organisation) SET o.name = o.name + $dirt",
      { dirt },
      { database: TEST_DATABASE },
    );
    atlas = await startAtlas(testConfig(), log);
    // The CORDIS import took about 260 s of the default 300 s hook on the busy 2-core machine.
  }, 900_000);
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  it("the fixture really holds control characters (else the checks below prove nothing)", async () => {
    const { records } = await driver.executeQuery(
      "MATCH (o:Organisation) WHERE o.name CONTAINS $nul RETURN count(o) AS n",
      { nul: "\u0000" },
      { database: TEST_DATABASE },
    );
    expect(Number(records[0]!.get("n"))).toBeGreaterThan(0);
  });

  it.each([
    ["graphml", "application/graphml+xml"],
    ["gexf", "application/gexf+xml"],
  ])(
    "GET /export/network.%s is well-formed, typed %s, an attachment, and keeps the names' other characters",
    async (extension, type) => {
      const response = await fetch(
        `${atlas.http.url}/export/network.${extension}?level=ORGANISATION&limit=50`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
      expect(response.headers.get("content-disposition")).toMatch(
        new RegExp(`^attachment; filename="?permed-atlas-organisation-network\\.${extension}"?$`),
      );
      const labels = parseXml(await response.text());
      expect(labels.length).toBeGreaterThan(0);
      // Control characters are replaced (U+FFFD); the escaped characters come back as they were.
      for (const label of labels) expect(label.endsWith(" <&\"'>")).toBe(true);
      expect(labels.every((label) => label.includes("\ufffd"))).toBe(true);
    },
  );

  it.each(["GRAPHML", "GEXF"])("the GraphQL export in %s is well-formed too", async (format) => {
    const data = expectData(
      await postGraphQL<{ export: string }>(
        atlas.http.url,
        `query ($format: ExportFormat!) { export(format: $format, level: ORGANISATION, limit: 50) }`,
        { format },
      ),
    );
    expect(parseXml(data.export).length).toBeGreaterThan(0);
  });
});
