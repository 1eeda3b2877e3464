import { execFile } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import type { Driver } from "neo4j-driver";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import yazl from "yazl";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, graphFingerprint, TEST_DATABASE, testDriver } from "./helpers/database.js";

/**
 * Files that are not what they claim, each written here, each taken from a public bug report of a CSV
 * or zip reader (csv-parse, papaparse, yauzl: duplicate headers where the last one wins, the wrong
 * delimiter, UTF-16 and Windows-1252, compression bombs, sizes a zip lies about, unclosed quotes). Each
 * goes through the command line as a user runs it: its exit code and message, and the graph, the data
 * version and the import runs are as before.
 */

const subsetDir = path.join(defaultSeedDir(), "cordis", "horizon");
const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
const projectText = readFileSync(path.join(subsetDir, "project.csv"), "utf8");
const organisationText = readFileSync(path.join(subsetDir, "organization.csv"), "utf8");
const projects = readCordisCsv(path.join(subsetDir, "project.csv"));
const projectColumns = Object.keys(projects[0]!);

let work: string;
let driver: Driver;

/** A CSV as CORDIS writes it (every field quoted, `;`), from a header and rows of values. */
function csv(header: string[], rows: string[][], delimiter = ";", newline = "\n"): string {
  return `${Papa.unparse([header, ...rows], { delimiter, quotes: true, newline })}${newline}`;
}

const rowValues = (row: Record<string, string>, columns = projectColumns) => columns.map((c) => row[c] ?? "");

/** A folder export: the given project.csv (text or bytes) and organization.csv (the subset's unless given). */
function folderExport(
  name: string,
  project: string | Buffer,
  organisation: string | Buffer = organisationText,
) {
  const dir = path.join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "project.csv"), project);
  writeFileSync(path.join(dir, "organization.csv"), organisation);
  return dir;
}

/** A zip with the given entries: a Buffer (sizes in the headers) or a Readable (streamed: data descriptors). */
async function zipExport(name: string, entries: Record<string, Buffer | Readable>): Promise<string> {
  const file = path.join(work, `${name}.zip`);
  const zip = new yazl.ZipFile();
  for (const [entry, content] of Object.entries(entries)) {
    if (Buffer.isBuffer(content)) zip.addBuffer(content, entry);
    else zip.addReadStream(content, entry);
  }
  zip.end();
  const out = createWriteStream(file);
  zip.outputStream.pipe(out);
  await finished(out);
  return file;
}

/** Sets the uncompressed size that the zip's central directory (and local header) declares for `entry`. */
function forgeUncompressedSize(zipFile: string, entry: string, size: number, alsoLocal: boolean): void {
  const bytes = readFileSync(zipFile);
  const name = Buffer.from(entry);
  for (let at = bytes.indexOf(name); at !== -1; at = bytes.indexOf(name, at + 1)) {
    if (at >= 46 && bytes.readUInt32LE(at - 46) === 0x02014b50) bytes.writeUInt32LE(size, at - 46 + 24);
    else if (alsoLocal && at >= 30 && bytes.readUInt32LE(at - 30) === 0x04034b50)
      bytes.writeUInt32LE(size, at - 30 + 22);
  }
  writeFileSync(zipFile, bytes);
}

/** `repeat` copies of `text` as a stream, never all in memory. */
function repeated(head: string, text: string, repeat: number, tail = ""): Readable {
  const chunk = Buffer.from(text.repeat(Math.max(1, Math.floor((1024 * 1024) / text.length))));
  const perChunk = chunk.length / Buffer.byteLength(text);
  return Readable.from(
    (function* () {
      yield Buffer.from(head);
      for (let done = 0; done < repeat; done += perChunk) yield chunk;
      if (tail) yield Buffer.from(tail);
    })(),
  );
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(...args: string[]): Promise<CliResult> {
  const { uri, password } = inject("neo4j");
  const started = Date.now();
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "import", "cordis", ...args],
      {
        env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? ((error as { code?: number }).code ?? null) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
        }),
    ),
  );
}

/** What must not change: the graph, the data version and the import runs. */
async function state() {
  return {
    graph: await graphFingerprint(driver),
    dataVersion: await count(driver, "MATCH (v:DataVersion) RETURN coalesce(max(v.version), 0)"),
    importRuns: await count(driver, "MATCH (r:ImportRun) RETURN count(r)"),
  };
}

/** Runs the import of `location` and expects it refused: exit 1, nothing changed; returns stderr. */
async function refused(location: string, ...options: string[]): Promise<CliResult> {
  const before = await state();
  const result = await cli(location, ...options);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe("");
  expect(await state()).toEqual(before);
  return result;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "atlas-hostile-"));
  driver = testDriver();
  await clearDatabase(driver);
  await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
  // A graph with data in it, so that "unchanged" means something.
  await runCordisImport(
    driver,
    TEST_DATABASE,
    subsetDir,
    { countries, dryRun: false, strict: false },
    createLogger("silent"),
  );
});

afterAll(async () => {
  await driver.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the delimiter and the encoding, recognised or refused in one line", () => {
  it("a ,-separated file (exit 0, 158 lines of Invalid Closing Quote and an empty ImportRun before)", async () => {
    const dir = folderExport(
      "comma",
      csv(
        projectColumns,
        projects.slice(0, 3).map((r) => rowValues(r)),
        ",",
      ),
    );
    const { stderr } = await refused(dir);
    expect(stderr.trim().split("\n")).toEqual([
      `${path.relative(process.cwd(), path.join(dir, "project.csv"))}:1: (delimiter): the header is separated by "," (21 columns), not by ";" as CORDIS exports are: export it again with ";" as the separator; nothing was written`,
    ]);
  });

  it("a tab-separated file", async () => {
    const dir = folderExport(
      "tabs",
      csv(
        projectColumns,
        projects.slice(0, 3).map((r) => rowValues(r)),
        "\t",
      ),
    );
    const { stderr } = await refused(dir);
    expect(stderr).toMatch(/project\.csv:1: \(delimiter\): the header is separated by tab \(21 columns\)/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("UTF-16 with a byte-order mark (as Excel saves 'Unicode text')", async () => {
    const text = csv(
      projectColumns,
      projects.slice(0, 3).map((r) => rowValues(r)),
    );
    const dir = folderExport(
      "utf16",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
    );
    const { stderr } = await refused(dir);
    expect(stderr).toMatch(/project\.csv:1: \(encoding\): is UTF-16/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("UTF-16 without a byte-order mark, and a gzip'd file named .csv (NUL bytes)", async () => {
    const text = csv(
      projectColumns,
      projects.slice(0, 3).map((r) => rowValues(r)),
    );
    expect((await refused(folderExport("utf16-nobom", Buffer.from(text, "utf16le")))).stderr).toMatch(
      /project\.csv:1: \(encoding\): holds NUL bytes/,
    );
    expect((await refused(folderExport("gzip", gzipSync(text)))).stderr).toMatch(
      /project\.csv:1: \(encoding\): (holds NUL bytes|byte 0x1F at column 1 is not UTF-8)/,
    );
  });

  it("Windows-1252 (Latin-1): refused at the line and column of the first byte that is not UTF-8", async () => {
    // The first non-ASCII character of the file, found by text (not by the importer's reader).
    const lines = organisationText.split("\n");
    const line = lines.findIndex((l) => /[^ -~\t\r\n]/.test(l)) + 1;
    const column = lines[line - 1]!.search(/[^ -~\t\r\n]/) + 1;
    const latin1 = Buffer.from(organisationText, "latin1");
    const dir = folderExport("latin1", projectText, latin1);
    const { stderr } = await refused(dir);
    const byte =
      latin1[Buffer.byteLength(lines.slice(0, line - 1).join("\n")) + (line > 1 ? 1 : 0) + column - 1]!;
    expect(stderr.trim()).toBe(
      `${path.relative(process.cwd(), path.join(dir, "organization.csv"))}:${line}: (encoding): byte 0x${byte.toString(16).toUpperCase()} at column ${column} is not UTF-8 (Latin-1 or Windows-1252?); CORDIS exports are UTF-8: convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8; nothing was written`,
    );
  });

  it("a UTF-8 byte-order mark with CRLF line ends, zipped with data descriptors, is the same export", async () => {
    const crlf = (text: string) => `\uFEFF${text.replaceAll(/(?<!\r)\n/g, "\r\n")}`;
    // Streamed entries: yazl writes the sizes after the data (general purpose bit 3).
    const zip = await zipExport("careless", {
      "csv/project.csv": Readable.from([Buffer.from(crlf(projectText))]),
      "csv/organization.csv": Readable.from([Buffer.from(crlf(organisationText))]),
    });
    const result = await cli(zip, "--dry-run");
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.projects).toBe(projects.length);
    expect(summary.participations).toBe(readCordisCsv(path.join(subsetDir, "organization.csv")).length);
    expect(summary.rejected).toBe(0);
  });
});

describe("the header, checked against the layout before any row is read", () => {
  it("a column named twice (the last startDate silently won before): refused in one line, naming both places", async () => {
    const header = [...projectColumns, "startDate"];
    const rows = projects.slice(0, 3).map((r) => [...rowValues(r), "1999-01-01"]);
    const { stderr } = await refused(folderExport("duplicate", csv(header, rows)));
    expect(stderr.trim()).toMatch(
      /project\.csv:1: startDate: is named 2 times \(columns 5, 22\): which one holds the value is unknown; nothing was written$/,
    );
  });

  it("missing columns and a case-changed one: every problem of every file named at once", async () => {
    const without = projectColumns.filter((c) => c !== "frameworkProgramme");
    const header = without.map((c) => (c === "endDate" ? "EndDate" : c));
    const project = csv(
      header,
      projects.slice(0, 3).map((r) => rowValues(r, without)),
    );
    const organisation = organisationText.replace('"role";', '"rôle";');
    const { stderr } = await refused(folderExport("missing", project, organisation));
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toBe("3 problem(s) in the input; nothing was written:");
    expect(lines.slice(1).map((l) => l.replace(/^.*\/(project|organization)\.csv/, "$1.csv"))).toEqual([
      'project.csv:1: endDate: is missing from the header (it has "EndDate": names are case-sensitive); the importer reads 17 columns of project.csv',
      "project.csv:1: frameworkProgramme: is missing from the header; the importer reads 17 columns of project.csv",
      "organization.csv:1: role: is missing from the header; the importer reads 15 columns of organization.csv",
    ]);
  });

  it("an unknown column is named in a warning and its values ignored (a dry run)", async () => {
    const header = [...projectColumns, "fundingBody"];
    const rows = projects.slice(0, 3).map((r) => [...rowValues(r), "somebody"]);
    const result = await cli(folderExport("unknown", csv(header, rows)), "--dry-run");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /warning .*project\.csv:1: fundingBody: is no column of the CORDIS project\.csv \(column 22\): its values are ignored/,
    );
  });
});

describe("a run that reads no valid row fails and writes nothing", () => {
  it("a header without rows", async () => {
    const { stderr } = await refused(folderExport("header-only", csv(projectColumns, [])));
    expect(stderr.split("\n").find((l) => l.includes("no valid row"))).toMatch(
      /project\.csv: no valid row \(0 read, \d+ rejected in all files\); nothing was written$/,
    );
  });

  it("rows that are all rejected", async () => {
    const rows = projects.slice(0, 3).map((r) => rowValues({ ...r, id: `x${r.id}` }));
    const { stderr } = await refused(folderExport("all-rejected", csv(projectColumns, rows)));
    expect(stderr.split("\n").find((l) => l.includes("no valid row"))).toMatch(
      /project\.csv: no valid row \(3 read, \d+ rejected in all files\); nothing was written$/,
    );
    expect(stderr).toMatch(/project\.csv:2: id: must be a number, got "x/);
  });
});

describe("limits on a field, a row and the inflated size of a zip entry", () => {
  const header = csv(projectColumns, []);
  const valid = csv(projectColumns, [rowValues(projects[0]!)]).slice(header.length);

  it("a field over the limit, in a row under it: refused at its file, line and column", async () => {
    const long = { ...projects[1]!, objective: "x".repeat(100_000) };
    const project = csv(projectColumns, [rowValues(projects[0]!), rowValues(long)]);
    const { stderr } = await refused(folderExport("long-field", project), "--max-row-chars", "200000");
    // The line the second row starts on: the first one's objective holds line breaks.
    const line = csv(projectColumns, [rowValues(projects[0]!)]).split("\n").length;
    expect(stderr.trim()).toMatch(new RegExp(`project\\.csv:${line}: objective:`));
    expect(stderr.trim()).toMatch(
      /objective: is 100,000 characters long, over the limit of 65,536 \(--max-field-chars raises it\); nothing was written$/,
    );
    // Raised, it is read (a dry run).
    const raised = await cli(
      folderExport("long-field", project),
      "--max-row-chars",
      "200000",
      "--max-field-chars",
      "100000",
      "--dry-run",
    );
    expect(raised.code, raised.stderr).toBe(0);
  });

  it("a bad limit option is refused before any work", async () => {
    const result = await cli(subsetDir, "--max-field-chars", "0");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--max-field-chars must be a whole number >= 1, got 0");
  });

  /** The bomb of the report: a zip of about 400 KB whose project.csv is a 400 MB title (made once). */
  let titleBomb: string;
  const titleBombZip = async () => {
    if (titleBomb) return titleBomb;
    const title = rowValues(projects[1]!);
    const open = `${header + valid}"${title[0]}";"${title[1]}";"${title[2]}";"`;
    titleBomb = await zipExport("title-bomb", {
      "csv/project.csv": repeated(open, "A", 400 * 1024 * 1024, '"\n'),
      "csv/organization.csv": Buffer.from(organisationText),
    });
    return titleBomb;
  };
  const copyOf = (zip: string, name: string) => {
    const copy = path.join(work, `${name}.zip`);
    writeFileSync(copy, readFileSync(zip));
    return copy;
  };

  it("the compression bomb of a 400 MB title, as it declares itself: refused before a byte is inflated", async () => {
    const zip = await titleBombZip();
    expect(readFileSync(zip).length).toBeLessThan(1024 * 1024);
    const { stderr, ms } = await refused(zip);
    expect(stderr.trim()).toMatch(
      /title-bomb\.zip!csv\/project\.csv: \(zip\): declares 419,43\d,\d{3} bytes from [\d,]+ compressed, more than 100 times: a compression bomb, not a CORDIS export; nothing was written$/,
    );
    expect(ms).toBeLessThan(20_000);
  });

  it("the same bomb declaring 3 MB: refused by the bytes inflated, at the row limit, naming line and column", async () => {
    const zip = copyOf(await titleBombZip(), "title-bomb-forged");
    forgeUncompressedSize(zip, "csv/project.csv", 3 * 1024 * 1024, false);
    const line = (header + valid).split("\n").length;
    const { stderr, ms } = await refused(zip);
    expect(stderr.trim()).toMatch(
      new RegExp(
        `title-bomb-forged\\.zip!csv/project\\.csv:${line}: title: the row is longer than 262,144 characters \\(the limit; --max-row-chars raises it\\): an unclosed quote, or not a CORDIS export; nothing was written$`,
      ),
    );
    expect(ms).toBeLessThan(20_000);
  });

  it("a compression bomb of valid rows: refused as it declares itself, and by yauzl's count when it lies", async () => {
    const zip = await zipExport("row-bomb", {
      "csv/project.csv": repeated(header, valid, (200 * 1024 * 1024) / valid.length),
      "csv/organization.csv": Buffer.from(organisationText),
    });
    expect(readFileSync(zip).length).toBeLessThan(4 * 1024 * 1024);
    expect((await refused(zip)).stderr.trim()).toMatch(
      /row-bomb\.zip!csv\/project\.csv: \(zip\): declares [\d,]+ bytes from [\d,]+ compressed, more than 100 times/,
    );
    const forged = copyOf(zip, "row-bomb-forged");
    forgeUncompressedSize(forged, "csv/project.csv", 20 * 1024 * 1024, false);
    expect((await refused(forged)).stderr.trim()).toMatch(
      /row-bomb-forged\.zip!csv\/project\.csv:\d+: \(zip\): inflates to another size than the zip declares \(too many bytes in the stream/,
    );
  });

  it("an entry that inflates to more than the zip declares: refused (yauzl counts against the declared size)", async () => {
    const zip = await zipExport("forged-small", {
      "csv/project.csv": Buffer.from(projectText),
      "csv/organization.csv": Buffer.from(organisationText),
    });
    forgeUncompressedSize(zip, "csv/project.csv", 1000, true);
    const { stderr } = await refused(zip);
    expect(stderr.trim()).toMatch(
      /forged-small\.zip!csv\/project\.csv:\d+: \(zip\): inflates to another size than the zip declares \(too many bytes in the stream/,
    );
  });

  it("an entry that declares more than the limit: refused before a byte is inflated", async () => {
    const zip = await zipExport("forged-large", {
      "csv/project.csv": Buffer.from(projectText),
      "csv/organization.csv": Buffer.from(organisationText),
    });
    forgeUncompressedSize(zip, "csv/project.csv", 0xfffffff0, false);
    const { stderr } = await refused(zip);
    expect(stderr.trim()).toMatch(
      /forged-large\.zip!csv\/project\.csv: \(file\): is 4,294,967,280 bytes as the zip declares, over the limit of 1,073,741,824 \(--max-file-mb raises it\); nothing was written$/,
    );
  });

  it("a file over --max-file-mb, counted as it is read", async () => {
    const big = csv(projectColumns, []) + valid.repeat(Math.ceil((1.5 * 1024 * 1024) / valid.length));
    const { stderr } = await refused(folderExport("big", big), "--max-file-mb", "1");
    expect(stderr.trim()).toMatch(
      /big\/project\.csv: \(file\): is [\d,]+ bytes, over the limit of 1,048,576/,
    );
  });

  it("a zip holding project.csv twice: refused, naming both", async () => {
    const zip = await zipExport("twice", {
      "csv/project.csv": Buffer.from(projectText),
      "old/project.csv": Buffer.from(projectText),
      "csv/organization.csv": Buffer.from(organisationText),
    });
    const { stderr } = await refused(zip);
    expect(stderr.trim()).toMatch(
      /twice\.zip: \(zip\): holds project\.csv twice \(csv\/project\.csv and old\/project\.csv\): which one is the export is unknown; nothing was written$/,
    );
  });
});
