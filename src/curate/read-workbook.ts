import { createHash } from "node:crypto";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { hasControlCharacters } from "../util/control-characters.js";
import { runWorker, siblingModule } from "../util/run-worker.js";
import { TimeSlicer } from "../util/time-slices.js";
import type { CellValue, ReadCell, ReadSheet, ReadWorkbook, WorkbookProblem } from "./workbook-shapes.js";
import {
  ABOUT_FIELDS,
  ABOUT_SHEET,
  MAX_CELL_CHARACTERS,
  MAX_ROWS_PER_SHEET,
  SHEETS,
} from "./workbook-spec.js";
import { type PackedWorkbook, unpackWorkbook } from "./workbook-transfer.js";

/**
 * Reads an uploaded workbook safely, before anything is checked against the graph. The bytes are
 * inspected first, without the spreadsheet library: a workbook is a zip of XML parts, and a small file
 * can inflate to gigabytes (a zip bomb), hide macros, or be no workbook at all. Only a zip whose parts
 * inflate within the limits below, counted while inflating (the sizes a zip declares are not trusted:
 * yauzl checks the inflated bytes against them), reaches exceljs.
 */

export const formatWorkbookProblem = (p: WorkbookProblem) =>
  `${p.cell ? `${p.sheet}!${p.cell}` : p.sheet}: ${p.reason}`;

/** Thrown before anything is written: the graph is unchanged. */
export class WorkbookRefusedError extends Error {
  constructor(readonly problems: WorkbookProblem[]) {
    const shown = problems.slice(0, 50).map(formatWorkbookProblem);
    const more = problems.length > 50 ? [`… and ${problems.length - 50} more`] : [];
    super(
      `${problems.length} problem(s) in the workbook; nothing was written:\n${[...shown, ...more].join("\n")}`,
    );
    this.name = "WorkbookRefusedError";
  }
}

export const LIMITS = {
  /** The file as uploaded. */
  fileBytes: 20 * 1024 * 1024,
  /** One part (a sheet's XML, the shared strings) once inflated: a sheet of 5,000 rows is a few MB. */
  partBytes: 16 * 1024 * 1024,
  /** All parts together, inflated. */
  totalBytes: 48 * 1024 * 1024,
  entries: 500,
};

/**
 * readWorkbook on a worker thread: inflating and parsing a workbook near the limits takes seconds of
 * CPU, which on the server's thread would stop every other request and /health/live. Same answer as
 * readWorkbook (Maps and Dates survive the copy). The answer comes packed in transferred buffers and is
 * read in slices of `slicer` (workbook-transfer.ts), so that its reading does not hold the event loop
 * either. Rejects only if the worker itself fails.
 */
export async function readWorkbookOffThread(
  bytes: Buffer,
  fileName: string,
  slicer = new TimeSlicer(),
): Promise<ReadWorkbook> {
  const packed = await runWorker<PackedWorkbook>(siblingModule(import.meta.url, "read-workbook-worker"), {
    bytes,
    fileName,
  });
  return unpackWorkbook(packed, slicer);
}

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

interface ZipScan {
  problems: WorkbookProblem[];
  /** Worksheet part -> data rows counted while inflating (`<row` elements). */
  rowsByPart: Map<string, number>;
  workbookXml: string;
  workbookRels: string;
  contentTypes: string;
}

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip!),
    ),
  );
}

/** Inflates one entry, counting its bytes; refuses past `limit`; calls `chunk` with each piece of text. */
function inflateEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  limit: number,
  chunk: (text: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error);
      let bytes = 0;
      stream.on("data", (data: Buffer) => {
        bytes += data.length;
        if (bytes > limit) {
          stream.destroy();
          reject(new PartTooLarge(bytes));
          return;
        }
        chunk(data.toString("latin1"));
      });
      stream.once("end", () => resolve(bytes));
      stream.once("error", reject);
    });
  });
}

class PartTooLarge extends Error {
  constructor(readonly bytes: number) {
    super("part too large");
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Walks the zip's entries: refuses macros, too many or too large parts (declared or actually inflated),
 * counts the rows of each worksheet part, and keeps the small XML parts that name the sheets.
 */
async function scanZip(bytes: Buffer, file: string): Promise<ZipScan> {
  const scan: ZipScan = {
    problems: [],
    rowsByPart: new Map(),
    workbookXml: "",
    workbookRels: "",
    contentTypes: "",
  };
  const zip = await openZip(bytes);
  const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
    const found: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      found.push(entry);
      if (found.length > LIMITS.entries) return resolve(found);
      zip.readEntry();
    });
    zip.once("end", () => resolve(found));
    zip.once("error", reject);
    zip.readEntry();
  });
  const refuse = (reason: string) => scan.problems.push({ sheet: file, reason });
  try {
    if (entries.length > LIMITS.entries) {
      refuse(`the file holds more than ${LIMITS.entries} parts; a workbook of a few sheets holds about 10`);
      return scan;
    }
    const names = entries.map((e) => e.fileName);
    if (
      names.some(
        (name) =>
          /vbaProject\.bin$/i.test(name) || (/\.bin$/i.test(name) && /^xl\/macrosheets\//i.test(name)),
      )
    )
      refuse(
        "a macro-enabled workbook (it holds VBA macros); save it as an Excel Workbook (.xlsx) without macros",
      );
    if (!names.includes("xl/workbook.xml")) {
      refuse("not an Excel workbook (no xl/workbook.xml in the file); save it as .xlsx");
      return scan;
    }
    // Each part first, so that the message names the part that is too large; then all of them together.
    const large = entries.filter((e) => e.uncompressedSize > LIMITS.partBytes);
    for (const entry of large)
      refuse(
        `${entry.fileName} inflates to ${megabytes(entry.uncompressedSize)}, more than ${megabytes(LIMITS.partBytes)}; a curated sheet is far smaller: split it`,
      );
    if (large.length) return scan;
    const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (declared > LIMITS.totalBytes) {
      refuse(
        `its parts inflate to ${megabytes(declared)}, more than ${megabytes(LIMITS.totalBytes)}; split the workbook`,
      );
      return scan;
    }
    let total = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith("/")) continue;
      const isSheet = /^xl\/worksheets\/[^/]+\.xml$/.test(entry.fileName);
      const keep = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"].includes(
        entry.fileName,
      );
      let text = "";
      let rows = 0;
      let tail = "";
      try {
        total += await inflateEntry(zip, entry, LIMITS.partBytes, (piece) => {
          if (keep) text += piece;
          if (isSheet) {
            const window = tail + piece;
            rows += (window.match(/<row[\s>]/g) ?? []).length - (tail.match(/<row[\s>]/g) ?? []).length;
            tail = window.slice(-5);
          }
        });
      } catch (error) {
        if (error instanceof PartTooLarge) {
          refuse(`${entry.fileName} inflates to more than ${megabytes(LIMITS.partBytes)}; split it`);
          continue;
        }
        refuse(`${entry.fileName} cannot be read: ${(error as Error).message}`);
        continue;
      }
      if (total > LIMITS.totalBytes) {
        refuse(`its parts inflate to more than ${megabytes(LIMITS.totalBytes)}; split the workbook`);
        return scan;
      }
      if (isSheet) scan.rowsByPart.set(entry.fileName, rows);
      if (entry.fileName === "xl/workbook.xml") scan.workbookXml = text;
      if (entry.fileName === "xl/_rels/workbook.xml.rels") scan.workbookRels = text;
      if (entry.fileName === "[Content_Types].xml") scan.contentTypes = text;
    }
    if (/macroEnabled/i.test(scan.contentTypes) && !scan.problems.length)
      refuse("a macro-enabled workbook (.xlsm); save it as an Excel Workbook (.xlsx) without macros");
    return scan;
  } finally {
    zip.close();
  }
}

/** Worksheet part (xl/worksheets/sheet1.xml) -> sheet name, from the workbook and its relationships. */
function sheetNamesByPart(scan: ZipScan): Map<string, string> {
  const targets = new Map<string, string>();
  for (const match of scan.workbookRels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(match[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(match[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?(xl\/)?/, "xl/"));
  }
  const names = new Map<string, string>();
  for (const match of scan.workbookXml.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(match[0])?.[1];
    const id = /\br:id="([^"]+)"/.exec(match[0])?.[1];
    const part = id ? targets.get(id) : undefined;
    if (name && part) names.set(part, Buffer.from(name, "latin1").toString("utf8").replace(/&amp;/g, "&"));
  }
  return names;
}

/** The cell's value, or the reason it is refused (a formula, an error value ...). */
function cellValue(cell: ExcelJS.Cell): CellValue | { refused: string } {
  const value = cell.value;
  if (value === null || value === undefined) return { type: "empty" };
  if (typeof value === "string") return { type: "text", text: value };
  if (typeof value === "number") return { type: "number", number: value };
  if (typeof value === "boolean") return { type: "boolean", value };
  if (value instanceof Date) return { type: "date", date: value };
  if (typeof value === "object") {
    if ("formula" in value || "sharedFormula" in value) {
      const formula = "formula" in value ? value.formula : `(shared) ${value.sharedFormula}`;
      return {
        refused: `a formula (=${formula}); a curated value is typed, not computed: paste the value instead (Paste Special > Values)`,
      };
    }
    if ("error" in value) return { refused: `an error value (${value.error}); write the value itself` };
    if ("richText" in value) return { type: "text", text: value.richText.map((run) => run.text).join("") };
    if ("hyperlink" in value) {
      const text =
        typeof value.text === "string"
          ? value.text
          : ((value.text as { richText?: { text: string }[] })?.richText?.map((r) => r.text).join("") ?? "");
      return { type: "hyperlink", text, target: value.hyperlink };
    }
  }
  return { refused: "a value of a kind that cannot be read; write plain text or a number" };
}

/** A UTF-16 surrogate that is not half of a pair (a cell's `_xD800_` escape decodes to one): not text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Problems of a text as typed: Excel's length limit, invalid Unicode (a lone surrogate, or the
 * noncharacters U+FFFE and U+FFFF, which XML cannot hold: a file can still carry them as `_xFFFF_`
 * escapes), and control characters.
 */
export function textProblem(text: string, keepLayout: boolean): string | undefined {
  if (text.length > MAX_CELL_CHARACTERS)
    return `${text.length} characters, more than a cell holds (${MAX_CELL_CHARACTERS})`;
  if (LONE_SURROGATE.test(text)) return "holds invalid Unicode (a lone UTF-16 surrogate): remove it";
  const noncharacter = /[\uFFFE\uFFFF]/.exec(text)?.[0];
  if (noncharacter)
    return `holds a noncharacter (U+${noncharacter.codePointAt(0)!.toString(16).toUpperCase()}), which is no text: remove it`;
  if (hasControlCharacters(text, keepLayout)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: naming the control character found
    const found = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\t\n\r]/.exec(text)![0];
    const code = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return `holds a control character (${code})${keepLayout ? "" : "; line breaks and tabs are not allowed here either"}: remove it`;
  }
  return undefined;
}

const knownSheets = new Set([ABOUT_SHEET, ...SHEETS.map((s) => s.name)]);

/** Why the bytes are not a workbook this reads at all: too large, an old or encrypted file, not a zip. */
function fileProblem(bytes: Buffer, fileName: string): WorkbookProblem | undefined {
  if (bytes.length > LIMITS.fileBytes)
    return {
      sheet: fileName,
      reason: `the file is ${megabytes(bytes.length)}, more than ${megabytes(LIMITS.fileBytes)}`,
    };
  if (bytes.subarray(0, 8).equals(CFB_MAGIC)) {
    const encrypted = bytes.includes(Buffer.from("EncryptionInfo", "utf16le"));
    return {
      sheet: fileName,
      reason: encrypted
        ? "an encrypted (password-protected) workbook; remove the password and save it as .xlsx"
        : "an old Excel 97-2003 (.xls) or other OLE file, not an .xlsx workbook; save it as .xlsx",
    };
  }
  if (!bytes.subarray(0, 4).equals(ZIP_MAGIC))
    return { sheet: fileName, reason: "not an Excel workbook (.xlsx); save the spreadsheet as .xlsx" };
  return undefined;
}

/** Problems of the zip's parts and of sheets too long, found before exceljs is given the whole file. */
async function zipProblems(bytes: Buffer, fileName: string): Promise<WorkbookProblem[]> {
  let scan: ZipScan;
  try {
    scan = await scanZip(bytes, fileName);
  } catch (error) {
    return [{ sheet: fileName, reason: `not a readable .xlsx file (${(error as Error).message})` }];
  }
  if (scan.problems.length) return scan.problems;
  const names = sheetNamesByPart(scan);
  const tooLong: WorkbookProblem[] = [];
  for (const [part, rows] of scan.rowsByPart) {
    // Row 1 is the header; a sheet of our own name gets the limit, any other sheet is refused later anyway.
    if (rows > MAX_ROWS_PER_SHEET + 1)
      tooLong.push({
        sheet: names.get(part) ?? part,
        reason: `${rows - 1} rows, more than ${MAX_ROWS_PER_SHEET}; a curated sheet is kept by hand: split it into several workbooks`,
      });
  }
  return tooLong;
}

/** A template sheet's header and non-empty rows; cells that cannot be read are problems. */
function readSheet(worksheet: ExcelJS.Worksheet, problems: WorkbookProblem[]): ReadSheet {
  const name = worksheet.name;
  // A merged range shows one value over several cells; each cell must hold its own.
  const merges = (worksheet.model as { merges?: string[] }).merges ?? [];
  for (const range of merges)
    problems.push({
      sheet: name,
      cell: range,
      reason: "merged cells; unmerge them and write each cell's value",
    });
  const sheet: ReadSheet = { name, headers: [], rows: [] };
  const columnCount = worksheet.columnCount;
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = new Map<number, ReadCell>();
    for (let column = 1; column <= columnCount; column++) {
      const cell = row.getCell(column);
      if (cell.isMerged && cell.master !== cell) continue;
      const read = cellValue(cell);
      if ("refused" in read) {
        problems.push({ sheet: name, cell: cell.address, reason: read.refused });
        continue;
      }
      if (read.type === "empty") continue;
      if (read.type === "text" && !read.text.trim()) continue;
      cells.set(column, { address: cell.address, value: read });
    }
    if (rowNumber === 1) {
      for (const [column, cell] of cells)
        sheet.headers.push({
          column,
          address: cell.address,
          text: cell.value.type === "text" ? cell.value.text.trim() : String(textOf(cell.value)).trim(),
        });
    } else if (cells.size) sheet.rows.push({ row: rowNumber, cells });
  });
  return sheet;
}

/** The template's sheets, read; any other sheet, and a template sheet that is missing, is a problem. */
function readSheets(workbook: ExcelJS.Workbook, problems: WorkbookProblem[]): Map<string, ReadSheet> {
  const sheets = new Map<string, ReadSheet>();
  for (const worksheet of workbook.worksheets) {
    const name = worksheet.name;
    if (!knownSheets.has(name)) {
      problems.push({
        sheet: name,
        reason: `not a sheet of the template; the sheets are ${[...knownSheets].join(", ")}`,
      });
      continue;
    }
    sheets.set(name, readSheet(worksheet, problems));
  }
  for (const name of knownSheets) {
    if (!sheets.has(name) && !problems.some((p) => p.sheet === name))
      problems.push({
        sheet: name,
        reason:
          "the sheet is missing; keep every sheet of the template, with its header row, even when it states nothing",
      });
  }
  return sheets;
}

/**
 * Reads the workbook's bytes (`fileName` is how messages name it). Refuses, with every problem, a file
 * that is not a readable .xlsx within the limits; otherwise returns every sheet's header and rows, and
 * the cells that cannot be read as values. Never throws for bad input: the caller decides.
 */
export async function readWorkbook(bytes: Buffer, fileName: string): Promise<ReadWorkbook> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const empty = (problems: WorkbookProblem[]): ReadWorkbook => ({
    fileName,
    sha256,
    sheets: new Map(),
    problems,
  });
  const refused = fileProblem(bytes, fileName);
  if (refused) return empty([refused]);
  const refusedParts = await zipProblems(bytes, fileName);
  if (refusedParts.length) return empty(refusedParts);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    return empty([{ sheet: fileName, reason: `not a readable .xlsx file (${(error as Error).message})` }]);
  }
  const problems: WorkbookProblem[] = [];
  const sheets = readSheets(workbook, problems);
  return { fileName, sha256, sheets, problems };
}

/** A value's text as a reader sees it (numbers and dates as typed). */
export function textOf(value: CellValue): string {
  switch (value.type) {
    case "empty":
      return "";
    case "text":
      return value.text;
    case "number":
      return String(value.number);
    case "date":
      return value.date.toISOString().slice(0, 10);
    case "boolean":
      return String(value.value);
    case "hyperlink":
      return value.text;
  }
}

/** The About sheet's fields: column A names the field, column B holds its value. */
export function aboutFields(
  sheet: ReadSheet | undefined,
): Map<string, { address: string; value: CellValue }> {
  const fields = new Map<string, { address: string; value: CellValue }>();
  if (!sheet) return fields;
  const all = [
    {
      row: 1,
      cells: new Map(
        sheet.headers.map((h) => [
          h.column,
          { address: h.address, value: { type: "text", text: h.text } as CellValue },
        ]),
      ),
    },
    ...sheet.rows,
  ];
  for (const { cells } of all) {
    const field = cells.get(1);
    if (!field) continue;
    const key = textOf(field.value).trim().toLowerCase();
    if (!ABOUT_FIELDS.some((f) => f.header === key)) continue;
    const value = cells.get(2);
    fields.set(key, value ?? { address: field.address.replace(/^A/, "B"), value: { type: "empty" } });
  }
  return fields;
}
