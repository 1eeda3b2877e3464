import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkWorkbook, loadWorkbook } from "../src/curate/load-workbook.js";
import { SHEETS } from "../src/curate/workbook-spec.js";
import { readDataVersion } from "../src/db/data-version.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { fillTemplate, permedRows } from "./fixtures/curate/permed-workbook.js";
import {
  clearDatabase,
  graphFingerprint,
  TEST_DATABASE,
  testConfig,
  testDriver,
} from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");
const seedDir = path.join(import.meta.dirname, "..", "seed");

/** Members of a consortium as the seed's YAML states them, read without the seed loader. */
function seedMembers(consortium: string): Set<string> {
  const members = new Set<string>();
  for (const file of ["icpermed.yaml", "icpermed-sources-2.yaml"]) {
    const doc = parse(readFileSync(path.join(seedDir, file), "utf8")) as {
      funders?: { id: string; memberOf?: { consortium: string; status: string }[] }[];
    };
    for (const funder of doc.funders ?? [])
      for (const m of funder.memberOf ?? [])
        if (m.consortium === consortium && m.status === "MEMBER") members.add(funder.id);
  }
  return members;
}

const query = async (driver: Driver, cypher: string, params: Record<string, unknown> = {}) =>
  (await driver.executeQuery(cypher, params, { database: TEST_DATABASE })).records.map((r) => r.toObject());

const runs = async (driver: Driver) =>
  (await query(driver, "MATCH (r:ImportRun) RETURN count(r) AS n"))[0]!.n.toNumber();

describe("curation workbooks: template, check, load, load again", () => {
  let driver: Driver;
  let workbook: Buffer;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    workbook = await fillTemplate(permedRows());
  });
  afterAll(() => driver.close());

  it("writes a template with every sheet and its columns, as XLSX and as CSV", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "curate-template-"));
    try {
      const cli = path.join(import.meta.dirname, "..", "src", "cli", "main.ts");
      await promisify(execFile)(process.execPath, ["--import", "tsx", cli, "curate", "template", dir]);
      const read = new ExcelJS.Workbook();
      await read.xlsx.readFile(path.join(dir, "curation-template.xlsx"));
      expect(read.worksheets.map((w) => w.name)).toEqual([
        "About",
        "Funders",
        "Memberships",
        "Calls",
        "Projects",
        "Partners",
        "Facts",
      ]);
      const memberships = read.getWorksheet("Memberships")!;
      expect((memberships.getRow(1).values as unknown[]).slice(1)).toEqual([
        "body",
        "country",
        "consortium",
        "status",
        "since",
        "evidence",
        "source URL",
        "as of",
      ]);
      // The status column offers the schema's membership statuses.
      expect(memberships.getCell("D2").dataValidation.formulae).toEqual(['"MEMBER,OBSERVER"']);
      expect(String(memberships.getCell("A1").note)).toMatch(/^Required\./);
      expect(readFileSync(path.join(dir, "memberships.csv"), "utf8").trim()).toBe(
        "body,country,consortium,status,since,evidence,source URL,as of",
      );
      for (const sheet of SHEETS)
        expect(readFileSync(path.join(dir, `${sheet.name.toLowerCase()}.csv`), "utf8")).toContain(
          sheet.columns[0]!.header,
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checks the filled workbook: no problem, the names matched to the bodies the atlas knows, nothing written", async () => {
    const before = await graphFingerprint(driver);
    const report = await checkWorkbook(driver, TEST_DATABASE, workbook, "permed.xlsx");
    expect(report.problems).toEqual([]);
    expect(report.status).toBe("CHECKED");
    const matched = Object.fromEntries(report.matches.map((m) => [`${m.sheet}!${m.cell}`, m.id]));
    // By hand: Memberships row 2 is ISCIII, row 13 IT-MoH (the seed writes It-MoH), row 14 FRRB by its
    // full name, row 16 "Health Research Board (HRB)"; Calls row 2 is the seed's JTC2024.
    expect(matched["Memberships!A2"]).toBe("funder:isciii");
    expect(matched["Memberships!A13"]).toBe("funder:italian-ministry-of-health");
    expect(matched["Memberships!A14"]).toBe("funder:frrb");
    expect(matched["Memberships!A16"]).toBe("funder:hrb");
    expect(matched["Memberships!C2"]).toBe("consortium:era-permed");
    expect(matched["Calls!B2"]).toBe("programme:ep-permed-jtc2024");
    expect(matched["Projects!A2"]).toBe("project:p4-lucat");
    expect(await graphFingerprint(driver)).toEqual(before);
    // The ERA PerMed partner rows and both ICPerMed rows are memberships the seed records already.
    const recorded = report.alreadyRecorded.filter((r) => r.record.startsWith("MEMBER_OF")).map((r) => r.row);
    expect(recorded.sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16]);
  });

  it("loads it in one transaction with provenance, and a second load changes nothing", async () => {
    const version = await readDataVersion(driver.session({ database: TEST_DATABASE }));
    const runsBefore = await runs(driver);
    const report = await loadWorkbook(driver, TEST_DATABASE, workbook, "permed.xlsx");
    expect(report.status).toBe("LOADED");
    expect((await readDataVersion(driver.session({ database: TEST_DATABASE }))).version).toBe(
      version.version + 1,
    );
    expect(await runs(driver)).toBe(runsBefore + 1);

    const [source] = await query(
      driver,
      "MATCH (s:Source {id: 'source:workbook-permed-landscape'}) RETURN s {.*} AS s",
    );
    expect(source!.s).toMatchObject({
      curator: "Test Curator",
      fileName: "permed.xlsx",
      sha256: (await import("node:crypto")).createHash("sha256").update(workbook).digest("hex"),
    });
    // The declared funder, SOURCED_FROM the workbook at its sheet and row.
    const [fnr] = await query(
      driver,
      `MATCH (f:Funder {id: 'funder:fnr'})-[r:SOURCED_FROM]->(:Source {id: 'source:workbook-permed-landscape'})
       MATCH (f)-[:BASED_IN]->(c:Country) RETURN f.name AS name, c.id AS country, r.curatedSheet AS sheet, r.curatedRow AS row`,
    );
    expect(fnr).toMatchObject({
      name: "Fonds National de la Recherche Luxembourg",
      country: "country:LU",
      sheet: "Funders",
    });
    expect(fnr!.row.toNumber()).toBe(2);
    // ERA PerMed: the seed's 13 members and the two Italian funders of the workbook.
    const members = await query(
      driver,
      "MATCH (f:Funder)-[:MEMBER_OF {status: 'MEMBER'}]->(:Consortium {id: 'consortium:era-permed'}) RETURN f.id AS id",
    );
    const expected = new Set([
      ...seedMembers("consortium:era-permed"),
      "funder:italian-ministry-of-health",
      "funder:frrb",
    ]);
    expect(new Set(members.map((m) => m.id))).toEqual(expected);
    expect(expected.size).toBe(15);
    const [itMoh] = await query(
      driver,
      "MATCH (:Funder {id: 'funder:italian-ministry-of-health'})-[m:MEMBER_OF]->(:Consortium {id: 'consortium:era-permed'}) RETURN m {.*} AS m",
    );
    expect(itMoh!.m).toMatchObject({
      evidenceSource: "source:workbook-permed-landscape",
      asOf: "2019",
      curatedSheet: "Memberships",
    });
    // Deadlines of the seed's JTC2024 as stated facts of the workbook; the seed's programme keeps its own name.
    const deadlines = await query(
      driver,
      `MATCH (f:StatedFact)-[:ABOUT]->(g:Programme {id: 'programme:ep-permed-jtc2024'}) WHERE f.curatedBy = 'source:workbook-permed-landscape'
       RETURN f.attribute AS attribute, f.statement AS statement ORDER BY attribute`,
    );
    expect(deadlines.filter((d) => d.attribute.endsWith("Deadline"))).toEqual([
      { attribute: "fullProposalDeadline", statement: "full-proposal deadline 2024-06-20" },
      { attribute: "preProposalDeadline", statement: "pre-proposal deadline 2024-03-05" },
    ]);
    // A new partner organisation of RADprecise, located in Italy.
    const partners = await query(
      driver,
      "MATCH (o:Organisation)-[p:PARTICIPATES_IN]->(:Project {id: 'project:radprecise'}) MATCH (o)-[:LOCATED_IN]->(c) RETURN o.name AS name, c.id AS country, p.role AS role",
    );
    expect(partners).toEqual([
      { name: "MOX - Politecnico di Milano", country: "country:IT", role: "PARTNER" },
    ]);

    const after = await graphFingerprint(driver);
    const versionAfter = await readDataVersion(driver.session({ database: TEST_DATABASE }));
    const again = await loadWorkbook(driver, TEST_DATABASE, workbook, "permed.xlsx");
    expect(again.status).toBe("UNCHANGED");
    expect(again.changes).toEqual([]);
    expect(await graphFingerprint(driver)).toEqual(after);
    expect(await readDataVersion(driver.session({ database: TEST_DATABASE }))).toEqual(versionAfter);
    expect(await runs(driver)).toBe(runsBefore + 1);
    // And the check of the same workbook now expects no change either.
    expect((await checkWorkbook(driver, TEST_DATABASE, workbook, "permed.xlsx")).changes).toEqual([]);
  });

  it("its figures show in fundingGaps: ERA PerMed's recorded members", async () => {
    const atlas = await startAtlas(testConfig(), log);
    try {
      const { fundingGaps } = expectData(
        await postGraphQL<{
          fundingGaps: { kind: string; expected: number | null; actual: number | null }[];
        }>(atlas.http.url, "query G($id: ID!) { fundingGaps(consortiumId: $id) { kind expected actual } }", {
          id: "consortium:era-permed",
        }),
      );
      // 32 stated by the BMBF page (seed); recorded: the seed's 13 and the workbook's IT-MoH and FRRB.
      expect(fundingGaps.find((g) => g.kind === "MEMBERSHIP_INCOMPLETE")).toEqual({
        kind: "MEMBERSHIP_INCOMPLETE",
        expected: 32,
        actual: seedMembers("consortium:era-permed").size + 2,
      });
    } finally {
      await atlas.stop();
    }
  });

  it("a row removed from a sheet removes what that row created, and nothing that other sources wrote", async () => {
    const rows = permedRows();
    rows.Memberships = rows.Memberships!.filter((r) => r.body !== "IT-MoH" && r.body !== "ISCIII");
    rows.Funders = [];
    rows.Partners = [];
    const edited = await fillTemplate(rows);
    const preview = await checkWorkbook(driver, TEST_DATABASE, edited, "permed.xlsx");
    const removed = preview.changes.filter((c) => c.change === "REMOVED").map((c) => c.record);
    expect(removed).toEqual(
      expect.arrayContaining([
        "MEMBER_OF funder:italian-ministry-of-health -> consortium:era-permed",
        "funder:fnr",
        "org:mox-politecnico-di-milano",
      ]),
    );
    const report = await loadWorkbook(driver, TEST_DATABASE, edited, "permed.xlsx");
    expect(report.status).toBe("LOADED");
    const members = await query(
      driver,
      "MATCH (f:Funder)-[:MEMBER_OF {status: 'MEMBER'}]->(:Consortium {id: 'consortium:era-permed'}) RETURN f.id AS id",
    );
    // The seed's ISCIII membership stays (the removed row only matched it); IT-MoH's goes, FRRB's stays.
    expect(new Set(members.map((m) => m.id))).toEqual(
      new Set([...seedMembers("consortium:era-permed"), "funder:frrb"]),
    );
    expect(
      await query(
        driver,
        "MATCH (n:Entity) WHERE n.id IN ['funder:fnr', 'org:mox-politecnico-di-milano'] RETURN n.id",
      ),
    ).toEqual([]);
    expect(
      await query(driver, "MATCH (f:Funder {id: 'funder:italian-ministry-of-health'}) RETURN f.name AS name"),
    ).toEqual([{ name: "Italian Ministry of Health" }]);
    // Putting the rows back restores them.
    expect((await loadWorkbook(driver, TEST_DATABASE, workbook, "permed.xlsx")).status).toBe("LOADED");
    expect(await query(driver, "MATCH (f:Funder {id: 'funder:fnr'}) RETURN f.acronym AS acronym")).toEqual([
      { acronym: "FNR" },
    ]);
  });
});
