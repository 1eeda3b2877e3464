import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wholeNetwork } from "../src/analysis/collaboration-network.js";
import { fundingByFunder } from "../src/analysis/funder-money.js";
import { fundingMatrix } from "../src/analysis/funding-matrix.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { runOpenAireImport } from "../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { HORIZON_DIR } from "./helpers/cordis-copy.js";
import { cents, readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testDriver } from "./helpers/database.js";

const log = createLogger("silent");
const countries = readCountryReference(`${defaultSeedDir()}/reference`);
const V7 = path.resolve("test/fixtures/openaire/dump-v7-lowercase_projects.jsonl");

describe("issue 21.4: national and EU money side by side, each in its currency; funder filters", () => {
  let driver: Driver;
  let dir: string;
  const context = () => ({ driver, database: TEST_DATABASE });
  // Real 7.x ARC and ANR records with amounts added in their funders' currencies (the real ones have none).
  const real = readFileSync(V7, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const shortName = (r: Record<string, unknown>) => (r.funding as { shortName: string }[])[0]!.shortName;
  const granted: Record<string, { currency: string; amounts: number[] }> = {
    ARC: { currency: "AUD", amounts: [150000.25, 80000, 99999.99, 1] },
    ANR: { currency: "EUR", amounts: [250000, 312345.67] },
  };
  const records = real.map((r) => {
    const g = granted[shortName(r)];
    if (!g) return r;
    const i = real.filter((x) => shortName(x) === shortName(r)).indexOf(r);
    return { ...r, granted: { currency: g.currency, totalcost: 0, fundedamount: g.amounts[i]! } };
  });

  beforeAll(async () => {
    driver = testDriver();
    dir = mkdtempSync(path.join(os.tmpdir(), "openaire-analysis-"));
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await runCordisImport(
      driver,
      TEST_DATABASE,
      HORIZON_DIR,
      { countries, dryRun: false, strict: false },
      log,
    );
    const file = path.join(dir, "projects.jsonl");
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    await runOpenAireImport(driver, TEST_DATABASE, file, { countries, dryRun: false, strict: false }, log);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true });
    await driver.close();
  });

  it("fundingByFunder: EC in EUR from CORDIS, ARC in AUD and ANR in EUR from OpenAIRE, rows by country, sums recomputed from the files", async () => {
    const answer = await fundingByFunder(context(), {});
    const ecCents = readCordisCsv(`${HORIZON_DIR}/project.csv`)
      .filter((row) => row.ecMaxContribution)
      .reduce((sum, row) => sum + cents(row.ecMaxContribution!), 0);
    const sum = (values: number[]) => values.reduce((a, v) => a + Math.round(v * 100), 0) / 100;
    const rows = answer.rows.map((r) => [r.country, r.funderLabel, r.currency, r.amount, r.projects]);
    expect(rows).toContainEqual(["AU", "ARC", "AUD", sum(granted.ARC!.amounts), granted.ARC!.amounts.length]);
    expect(rows).toContainEqual(["FR", "ANR", "EUR", sum(granted.ANR!.amounts), granted.ANR!.amounts.length]);
    const ec = answer.rows.filter((r) => r.country === "EU");
    expect(ec.map((r) => [r.funderLabel, r.currency])).toEqual([["EC", "EUR"]]);
    expect(ec[0]!.amount).toBe(ecCents / 100);
    // Sorted by country: AU < CL < EU < FI < FR.
    expect(answer.rows.map((r) => r.country)).toEqual([...answer.rows.map((r) => r.country)].sort());
    // AKA and CONICYT records grant nothing: counted apart, not as 0.
    const withoutAmount =
      real.filter((r) => ["AKA", "CONICYT"].includes(shortName(r))).length +
      readCordisCsv(`${HORIZON_DIR}/project.csv`).filter((row) => !row.ecMaxContribution).length;
    expect(answer.projectsWithoutAmount).toBe(withoutAmount);
  });

  it("funderIds filters the matrix and the network to one funder's projects; an unknown funder is BAD_USER_INPUT naming the argument", async () => {
    const matrix = await fundingMatrix(context(), {
      rows: "FUNDER",
      columns: "YEAR",
      measure: "PROJECTS",
      filters: { funderIds: ["funder:openaire:ARC"] },
    });
    const arc = real.filter((r) => shortName(r) === "ARC");
    expect(matrix.rows.map((r) => r.key)).toEqual(["funder:openaire:ARC"]);
    expect(matrix.rows[0]!.total).toBe(arc.length);
    const byYear = new Map<string, number>();
    for (const r of arc) {
      const year = String(r.startdate).slice(0, 4);
      byYear.set(year, (byYear.get(year) ?? 0) + 1);
    }
    expect(matrix.cells.filter((c) => c.value > 0).map((c) => [c.column, c.value])).toEqual(
      [...byYear].sort(([a], [b]) => a.localeCompare(b)),
    );
    const network = await wholeNetwork(context(), { level: "COUNTRY", funderIds: ["funder:openaire:ARC"] });
    // The OpenAIRE sample has no participants: a funder filter to it leaves no country network.
    expect(network.nodes).toEqual([]);
    const eu = await wholeNetwork(context(), { level: "COUNTRY", funderIds: ["funder:european-commission"] });
    const all = await wholeNetwork(context(), { level: "COUNTRY" });
    expect(eu.nodes.length).toBeGreaterThan(0);
    expect(eu.nodes.map((n) => [n.key, n.weight])).toEqual(all.nodes.map((n) => [n.key, n.weight]));
    await expect(
      fundingMatrix(context(), {
        rows: "FUNDER",
        columns: "YEAR",
        measure: "PROJECTS",
        filters: { funderIds: ["funder:nope"] },
      }),
    ).rejects.toMatchObject({ extensions: { argumentName: "filters.funderIds" } });
  });
});
