import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import yazl from "yazl";
import { checkWorkbook, loadWorkbook } from "../src/curate/load-workbook.js";
import { WorkbookRefusedError } from "../src/curate/read-workbook.js";
import { readDataVersion } from "../src/db/data-version.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { fillTemplate, permedRows, type SheetRows } from "./fixtures/curate/permed-workbook.js";
import { clearDatabase, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";

/** The entries of a zip, as bytes. */
async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z!))),
  );
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream!.on("data", (c: Buffer) => chunks.push(c));
        stream!.on("end", () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on("end", () => resolve());
    zip.readEntry();
  });
  return entries;
}

async function zipOf(entries: Map<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) if (!name.endsWith("/")) zip.addBuffer(data, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const rowsWith = (edit: (rows: SheetRows) => void) => {
  const rows = permedRows();
  edit(rows);
  return rows;
};

describe("bad workbooks are refused with the place of each problem, and nothing is written", () => {
  let driver: Driver;
  let good: Buffer;
  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    good = await fillTemplate(permedRows());
  });
  afterAll(() => driver.close());

  /** Checks and loads `bytes`: both refuse with these problems (and maybe more), and the graph is as it was. */
  async function refused(bytes: Buffer, name: string, expected: (string | RegExp)[]) {
    const before = await graphFingerprint(driver);
    const version = await readDataVersion(driver.session({ database: TEST_DATABASE }));
    const report = await checkWorkbook(driver, TEST_DATABASE, bytes, name);
    expect(report.status).toBe("REFUSED");
    for (const problem of expected)
      expect(report.problems).toContainEqual(
        typeof problem === "string" ? problem : expect.stringMatching(problem),
      );
    const error = await loadWorkbook(driver, TEST_DATABASE, bytes, name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbookRefusedError);
    expect(await graphFingerprint(driver)).toEqual(before);
    expect(await readDataVersion(driver.session({ database: TEST_DATABASE }))).toEqual(version);
    return report.problems;
  }

  it("a macro-enabled workbook", async () => {
    const entries = await unzip(good);
    entries.set("xl/vbaProject.bin", Buffer.from("not really VBA, but where Excel keeps it"));
    await refused(await zipOf(entries), "macros.xlsm", [/^macros\.xlsm: a macro-enabled workbook/]);
  });

  it("an encrypted workbook, an old .xls, a text file, a zip that holds no workbook", async () => {
    // Excel encrypts into an OLE compound file whose streams include EncryptionInfo.
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
      Buffer.from("EncryptionInfo", "utf16le"),
      good,
    ]);
    await refused(ole, "locked.xlsx", [
      "locked.xlsx: an encrypted (password-protected) workbook; remove the password and save it as .xlsx",
    ]);
    await refused(Buffer.concat([ole.subarray(0, 512), good]), "old.xls", [
      /^old\.xls: an old Excel 97-2003 \(\.xls\)/,
    ]);
    await refused(Buffer.from("body,consortium\nISCIII,ERA PerMed\n"), "sheet.xlsx", [
      "sheet.xlsx: not an Excel workbook (.xlsx); save the spreadsheet as .xlsx",
    ]);
    await refused(
      await zipOf(new Map([["word/document.xml", Buffer.from("<w:document/>")]])),
      "letter.xlsx",
      ["letter.xlsx: not an Excel workbook (no xl/workbook.xml in the file); save it as .xlsx"],
    );
  });

  it("a 50 MB sheet and a sheet of 100,000 rows", async () => {
    const big = await fillTemplate(
      rowsWith((rows) => {
        // 5,000 distinct statements of 10,000 characters: 50 MB of text, a few MB compressed.
        rows.Facts = Array.from({ length: 5000 }, (_, i) => ({
          subject: "EP PerMed/JTC2024",
          attribute: "note",
          statement: `${i} ${"personalised medicine ".repeat(455)}`.slice(0, 10_000),
          "source URL": `https://example.org/${i}`,
        }));
      }),
    );
    expect(big.length).toBeLessThan(20 * 1024 * 1024);
    await refused(big, "big.xlsx", [
      /^big\.xlsx: xl\/sharedStrings\.xml inflates to (more than )?\d+\.\d MB/,
    ]);
    const long = await fillTemplate(permedRows(), {
      edit: (workbook) => {
        const sheet = workbook.getWorksheet("Memberships")!;
        for (let row = 2; row <= 100_001; row++) sheet.getCell(row, 1).value = "ISCIII";
      },
    });
    await refused(long, "long.xlsx", [
      "Memberships: 100000 rows, more than 5000; a curated sheet is kept by hand: split it into several workbooks",
    ]);
  });

  it("formulas, hyperlinks behind other words, control characters, error values, merged cells", async () => {
    const bytes = await fillTemplate(
      rowsWith((rows) => {
        rows.Facts![0]!.value = { formula: "20+7", result: 27 };
        rows.Memberships![0]!.evidence = { text: "see the page", hyperlink: "https://example.org/evidence" };
        rows.Memberships![1]!["source URL"] = {
          text: "BMBF page",
          hyperlink: "https://gesundheitsforschung-bmbf.de/",
        };
        // Excel's own link of a typed address to itself is that address: accepted.
        rows.Memberships![2]!["source URL"] = {
          text: "https://gesundheitsforschung-bmbf.de/de/era-permed-9129.php",
          hyperlink: "https://gesundheitsforschung-bmbf.de/de/era-permed-9129.php",
        };
        // A control character is stored as _x0007_ in the file (OOXML escaping, as Excel writes it).
        rows.Memberships![3]!.evidence = "listed_x0007_ among the funders";
        rows.Calls![0]!.budget = { error: "#DIV/0!" };
      }),
      { edit: (workbook) => workbook.getWorksheet("Projects")!.mergeCells("E2:G2") },
    );
    const problems = await refused(bytes, "cells.xlsx", [
      "Facts!C2: a formula (=20+7); a curated value is typed, not computed: paste the value instead (Paste Special > Values)",
      "Memberships!F2: evidence: a hyperlink; write plain text here",
      'Memberships!G3: source URL: a hyperlink that shows "BMBF page" but points to https://gesundheitsforschung-bmbf.de/; write the address itself',
      "Memberships!F5: evidence: holds a control character (U+0007): remove it",
      "Calls!F2: an error value (#DIV/0!); write the value itself",
      "Projects!E2:G2: merged cells; unmerge them and write each cell's value",
    ]);
    expect(problems.filter((p) => p.startsWith("Memberships!G4"))).toEqual([]);
  });

  it("dates: an Excel date serial, a time of day, text that is no date; the 1904 date system reads right", async () => {
    const bytes = await fillTemplate(
      rowsWith((rows) => {
        rows.Calls![0]!["pre-proposal deadline"] = 45356;
        rows.Calls![0]!["full-proposal deadline"] = new Date(Date.UTC(2024, 5, 20, 17, 0));
        rows.Calls![1]!["pre-proposal deadline"] = "18 February 2025 (14:00, CET)";
        rows.Projects![0]!.end = "2023-02-30";
      }),
    );
    await refused(bytes, "dates.xlsx", [
      "Calls!H2: pre-proposal deadline: 45356 is an Excel date serial (2024-03-05), not a date; format the cell as a date or write 2024-03-05",
      "Calls!I2: full-proposal deadline: holds a time of day (2024-06-20T17:00:00.000Z); write the date alone",
      'Calls!H3: pre-proposal deadline: "18 February 2025 (14:00, CET)" is not a date; write 2024-03-05',
      'Projects!G2: end: "2023-02-30" is not a date; write 2024-03-05',
    ]);
    // A workbook in the 1904 date system (Excel for Mac before 2011) stores other serials for the same days.
    const mac = await fillTemplate(permedRows(), {
      edit: (workbook) => {
        workbook.properties.date1904 = true;
      },
    });
    const entries = await unzip(mac);
    expect(entries.get("xl/workbook.xml")!.toString()).toContain('date1904="1"');
    // The pre-proposal deadline of JTC2024 is a date cell (2024-03-05): serial 45356 in 1900, 43894 in 1904.
    expect(entries.get("xl/worksheets/sheet4.xml")!.toString()).toMatch(/<c r="H2"[^>]*><v>43894<\/v>/);
    expect((await loadWorkbook(driver, TEST_DATABASE, mac, "mac.xlsx")).status).toBe("LOADED");
    const { records } = await driver.executeQuery(
      "MATCH (f:StatedFact {attribute: 'preProposalDeadline'})-[:ABOUT]->(:Programme {id: 'programme:ep-permed-jtc2024'}) WHERE f.curatedBy IS NOT NULL RETURN f.statement AS s",
      {},
      { database: TEST_DATABASE },
    );
    expect(records.map((r) => r.get("s"))).toEqual(["pre-proposal deadline 2024-03-05"]);
  });

  it("unknown country, a funder neither known nor declared, a currency that is no ISO 4217 code, a duplicate row, a declared funder the atlas knows", async () => {
    const bytes = await fillTemplate(
      rowsWith((rows) => {
        rows.Memberships![0]!.country = "Spain";
        rows.Memberships![1]!.country = "XX";
        rows.Memberships![2]!.body = "Ministry of Social Affairs";
        rows.Memberships!.push({ ...rows.Memberships![4]! });
        rows.Calls![0]!.currency = "EURO";
        rows.Funders!.push({
          id: "isciii-again",
          name: "Instituto de Salud Carlos III",
          acronym: "ISCIII",
          kind: "AGENCY",
          "source URL": "https://www.isciii.es",
        });
      }),
    );
    await refused(bytes, "refs.xlsx", [
      'Memberships!B2: country: "Spain" is a country name; write its ISO 3166-1 alpha-2 code, ES',
      'Memberships!B3: country: unknown country "XX"; write an ISO 3166-1 alpha-2 code such as ES',
      /^Memberships!A4: body: unknown funder "Ministry of Social Affairs"; did you mean funder:msa-estonia \(Estonian Ministry of Social Affairs\)/,
      "Memberships!A17: duplicate of row 6 (same body, consortium)",
      'Calls!G2: currency: "EURO" is not an ISO 4217 currency code such as EUR or USD',
      /^Funders!B3: the atlas already knows funder:isciii \(National Institute of Health Carlos III\)/,
    ]);
  });

  it("a required column missing or named twice, an unknown column, an empty sheet, a missing sheet, an unknown sheet", async () => {
    const bytes = await fillTemplate(permedRows(), {
      edit: (workbook) => {
        const memberships = workbook.getWorksheet("Memberships")!;
        memberships.getCell("C1").value = "status"; // consortium gone, status twice
        const facts = workbook.getWorksheet("Facts")!;
        facts.getCell("J1").value = "comment";
        const partners = workbook.getWorksheet("Partners")!;
        partners.getRow(1).eachCell((cell) => {
          cell.value = null;
        });
        workbook.removeWorksheet(workbook.getWorksheet("Projects")!.id);
        workbook.addWorksheet("Notes").getCell("A1").value = "my notes";
      },
    });
    await refused(bytes, "layout.xlsx", [
      'Memberships!D1: column "status" named twice (also C1)',
      'Memberships!A1: required column "consortium" is missing',
      /^Facts!J1: unknown column "comment"; the columns are subject, attribute/,
      "Partners!A1: the sheet is empty: its header row (row 1) is missing; copy it from the template",
      "Projects: the sheet is missing; keep every sheet of the template, with its header row, even when it states nothing",
      /^Notes: not a sheet of the template/,
    ]);
  });

  it("an About sheet whose workbook name is no short name", async () => {
    const bytes = await fillTemplate(permedRows(), { about: { workbook: "../x" } });
    await refused(bytes, "about.xlsx", [/^About!B1: workbook: "\.\.\/x" must be letters, digits/]);
  });

  it("the good workbook still loads after all of these", async () => {
    expect((await loadWorkbook(driver, TEST_DATABASE, good, "permed.xlsx")).status).toBe("LOADED");
  });
});
